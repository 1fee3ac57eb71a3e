package publish

import (
	"encoding/json"
	"fmt"
	"io"

	"shuiyun/internal/standard"
)

// JSONFormat names the layout written by WriteJSON; change it when the layout changes incompatibly.
const JSONFormat = "shuiyun.standard/v1"

// WriteJSON writes the whole standard as indented JSON for machines: datasets
// with every field and its attributes, code lists, rules with category,
// severity and switch, settings, and the region table's source, date and size
// (not its codes). Order is the standard's own; map keys are sorted.
func WriteJSON(w io.Writer, std *standard.Standard) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(exportStandard(std)); err != nil {
		return fmt.Errorf("write standard JSON: %w", err)
	}
	return nil
}

type jsonStandard struct {
	Format    string          `json:"format"`
	Version   string          `json:"version"`
	Title     string          `json:"title"`
	Source    string          `json:"source,omitempty"`
	Datasets  []jsonDataset   `json:"datasets"`
	CodeLists []jsonCodeList  `json:"code_lists"`
	Rules     []jsonRule      `json:"rules"`
	Settings  jsonSettings    `json:"settings"`
	Regions   *jsonRegionInfo `json:"regions,omitempty"`
}

type jsonDataset struct {
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	Label     string      `json:"label"`
	Reference bool        `json:"reference"`
	Key       []string    `json:"key"`
	AltKey    []string    `json:"alt_key,omitempty"`
	Note      string      `json:"note,omitempty"`
	Fields    []jsonField `json:"fields"`
}

type jsonField struct {
	Name            string               `json:"name"`
	Label           string               `json:"label"`
	Type            standard.FieldType   `json:"type"`
	Length          int                  `json:"length,omitempty"`
	Precision       int                  `json:"precision,omitempty"`
	Scale           int                  `json:"scale,omitempty"`
	ID              standard.IDKind      `json:"id,omitempty"`
	IDWhen          *jsonCondition       `json:"id_when,omitempty"`
	Pattern         string               `json:"pattern,omitempty"`
	PatternText     string               `json:"pattern_text,omitempty"`
	PatternSeverity standard.Severity    `json:"pattern_severity,omitempty"`
	Min             *float64             `json:"min,omitempty"`
	Max             *float64             `json:"max,omitempty"`
	MinExclusive    bool                 `json:"min_exclusive,omitempty"`
	Required        standard.Requirement `json:"required"`
	When            *jsonCondition       `json:"when,omitempty"`
	CodeList        string               `json:"code_list,omitempty"`
	Ref             string               `json:"ref,omitempty"`
	Sharing         standard.Sharing     `json:"sharing"`
	Note            string               `json:"note,omitempty"`
}

type jsonCondition struct {
	Field  string      `json:"field"`
	Op     standard.Op `json:"op"`
	Values []string    `json:"values,omitempty"`
	Text   string      `json:"text,omitempty"`
}

type jsonCodeList struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Note  string     `json:"note,omitempty"`
	Codes []jsonCode `json:"codes"`
}

type jsonCode struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	Parent  string   `json:"parent,omitempty"`
}

type jsonRule struct {
	ID       string                       `json:"id"`
	Category standard.Category            `json:"category"`
	Severity standard.Severity            `json:"severity"`
	Enabled  bool                         `json:"enabled"`
	Parts    map[string]standard.Severity `json:"parts,omitempty"`
	Datasets []string                     `json:"datasets,omitempty"`
	Title    string                       `json:"title"`
	Text     string                       `json:"text,omitempty"`
	Tag      string                       `json:"tag,omitempty"`
}

type jsonSettings struct {
	NullValues        []string            `json:"null_values"`
	Jurisdictions     map[string][]string `json:"jurisdictions"`
	GraceDays         int                 `json:"grace_days"`
	D02MaxYears       int                 `json:"d02_max_years"`
	D08MaxYearsBefore int                 `json:"d08_max_years_before"`
	D08MaxYearsFrom   int                 `json:"d08_max_years_from"`
	D08RuleChange     string              `json:"d08_rule_change"`
	TrialMaxMonths    int                 `json:"trial_max_months"`
	TonnageTolerance  float64             `json:"tonnage_tolerance"`
	InvestmentOverrun float64             `json:"investment_overrun"`
	ShrinkGuard       float64             `json:"shrink_guard"`
}

type jsonRegionInfo struct {
	Source string `json:"source"`
	Date   string `json:"date"`
	Count  int    `json:"count"`
}

func exportStandard(std *standard.Standard) jsonStandard {
	out := jsonStandard{
		Format: JSONFormat, Version: std.Version, Title: std.Title, Source: std.Source,
		Datasets: []jsonDataset{}, CodeLists: []jsonCodeList{}, Rules: []jsonRule{},
		Settings: exportSettings(std.Settings),
	}
	for _, ds := range std.Datasets {
		out.Datasets = append(out.Datasets, exportDataset(ds))
	}
	for _, cl := range std.CodeLists {
		out.CodeLists = append(out.CodeLists, exportCodeList(cl))
	}
	for _, r := range std.Rules {
		out.Rules = append(out.Rules, jsonRule{
			ID: r.ID, Category: r.Category, Severity: r.Severity, Enabled: r.On(), Parts: r.Parts,
			Datasets: r.Datasets, Title: r.Title, Text: r.Text, Tag: r.Tag,
		})
	}
	if r := std.Regions; r != nil {
		out.Regions = &jsonRegionInfo{Source: r.Source, Date: r.Date, Count: r.Len()}
	}
	return out
}

func exportDataset(ds *standard.Dataset) jsonDataset {
	out := jsonDataset{
		Code: ds.Code, Name: ds.Name, Label: ds.Label, Reference: ds.Reference,
		Key: ds.Key, AltKey: ds.AltKey, Note: ds.Note, Fields: []jsonField{},
	}
	if out.Key == nil {
		out.Key = []string{}
	}
	for _, f := range ds.Fields {
		sharing := f.Sharing
		if sharing == "" {
			sharing = standard.Shareable
		}
		out.Fields = append(out.Fields, jsonField{
			Name: f.Name, Label: f.Label, Type: f.Type, Length: f.Length,
			Precision: f.Precision, Scale: f.Scale, ID: f.ID, IDWhen: exportCondition(f.IDWhen),
			Pattern: f.Pattern, PatternText: f.PatternText, PatternSeverity: f.PatternSeverity,
			Min: f.Min, Max: f.Max, MinExclusive: f.MinExclusive,
			Required: f.Required, When: exportCondition(f.When), CodeList: f.CodeList,
			Ref: f.Ref, Sharing: sharing, Note: f.Note,
		})
	}
	return out
}

func exportCondition(c *standard.Condition) *jsonCondition {
	if c == nil {
		return nil
	}
	return &jsonCondition{Field: c.Field, Op: c.Op, Values: c.Values, Text: c.Text}
}

func exportCodeList(cl *standard.CodeList) jsonCodeList {
	out := jsonCodeList{ID: cl.ID, Name: cl.Name, Note: cl.Note, Codes: []jsonCode{}}
	for _, c := range cl.Codes {
		out.Codes = append(out.Codes, jsonCode{Code: c.Code, Name: c.Name, Aliases: c.Aliases, Parent: c.Parent})
	}
	return out
}

func exportSettings(s standard.Settings) jsonSettings {
	out := jsonSettings{
		NullValues: s.NullValues, Jurisdictions: s.Jurisdictions, GraceDays: s.GraceDays,
		D02MaxYears: s.D02MaxYears, D08MaxYearsBefore: s.D08MaxYearsBefore, D08MaxYearsFrom: s.D08MaxYearsFrom,
		D08RuleChange: s.D08RuleChange, TrialMaxMonths: s.TrialMaxMonths, TonnageTolerance: s.TonnageTolerance,
		InvestmentOverrun: s.InvestmentOverrun, ShrinkGuard: s.ShrinkGuard,
	}
	if out.NullValues == nil {
		out.NullValues = []string{}
	}
	if out.Jurisdictions == nil {
		out.Jurisdictions = map[string][]string{}
	}
	return out
}
