package progress

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// Rule bits: one per rule a stored record can fail (every known rule but the
// FILE-* structure rules, which concern files). 60 rules fit in a uint64.
var (
	ruleBits = map[string]uint64{}
	bitRules []string
	// complMask, normMask and relMask are the rules of each category.
	complMask, normMask, relMask uint64
)

func init() {
	for _, id := range standard.KnownRules {
		cat := standard.RuleCategory(id)
		if cat == standard.Structure {
			continue
		}
		if len(bitRules) == 64 {
			panic("progress: more than 64 record rules; widen the rule bits")
		}
		bit := uint64(1) << len(bitRules)
		ruleBits[id] = bit
		bitRules = append(bitRules, id)
		switch cat {
		case standard.Completeness:
			complMask |= bit
		case standard.Normativity:
			normMask |= bit
		case standard.Relational:
			relMask |= bit
		}
	}
}

// RuleIDs lists the rules of a bit set, in the standard's order.
func RuleIDs(bits uint64) []string {
	var out []string
	for i, id := range bitRules {
		if bits&(1<<i) != 0 {
			out = append(out, id)
		}
	}
	return out
}

// batchOnly are relational rules the metrics leave out: they compare the
// rows of one submission with each other (UNIQUE, REL-12, REL-23), need the
// submitter's jurisdiction (REL-20, REL-21) or the owner of a stored key
// (REL-26). Ingest checks them on every package; what they reject is in the
// backlog.
var batchOnly = []string{"UNIQUE", "REL-12", "REL-20", "REL-21", "REL-23", "REL-26"}

// RuleSet is the rules in force on a day: the standard's rules overridden by
// the latest schedule entry of each rule effective on or before the day.
type RuleSet struct {
	std     *standard.Standard
	over    map[string]store.RuleChange
	Version string // short hash of the configuration: figures keep it
	config  string // the configuration, as JSON
}

type ruleConfig struct {
	ID       string                       `json:"id"`
	Category standard.Category            `json:"category"`
	Severity standard.Severity            `json:"severity"`
	Enabled  bool                         `json:"enabled"`
	Parts    map[string]standard.Severity `json:"parts,omitempty"`
}

// rulesOn returns the rules in force on day d under a schedule (ordered by
// effective date, then entry).
func rulesOn(std *standard.Standard, schedule []store.RuleChange, d Day) *RuleSet {
	rs := &RuleSet{std: std, over: map[string]store.RuleChange{}}
	for _, c := range schedule {
		if eff, err := ParseDay(c.Effective); err == nil && eff <= d {
			rs.over[c.Rule] = c
		}
	}
	return rs.seal()
}

// with returns the rule set with one more change applied (a what-if).
func (rs *RuleSet) with(c store.RuleChange) *RuleSet {
	out := &RuleSet{std: rs.std, over: map[string]store.RuleChange{}}
	for k, v := range rs.over {
		out.over[k] = v
	}
	out.over[c.Rule] = c
	return out.seal()
}

func (rs *RuleSet) seal() *RuleSet {
	var cfg []ruleConfig
	for _, r := range rs.std.Rules {
		cfg = append(cfg, ruleConfig{ID: r.ID, Category: r.Category, Severity: rs.Severity(r.ID), Enabled: rs.On(r.ID), Parts: r.Parts})
	}
	b, _ := json.Marshal(struct {
		Standard string       `json:"standard"`
		Rules    []ruleConfig `json:"rules"`
	}{rs.std.Version, cfg})
	sum := sha256.Sum256(b)
	rs.config, rs.Version = string(b), hex.EncodeToString(sum[:6])
	return rs
}

// On reports whether a rule is switched on.
func (rs *RuleSet) On(id string) bool {
	if c, ok := rs.over[id]; ok {
		return c.Enabled
	}
	return rs.std.Rule(id).On()
}

// Severity of a rule (its main part).
func (rs *RuleSet) Severity(id string) standard.Severity {
	if c, ok := rs.over[id]; ok {
		return standard.Severity(c.Severity)
	}
	if r := rs.std.Rule(id); r != nil {
		return r.Severity
	}
	return ""
}

// errorMask is the rules switched on with error severity.
func (rs *RuleSet) errorMask() uint64 {
	var m uint64
	for id, bit := range ruleBits {
		if rs.On(id) && rs.Severity(id) == standard.Error {
			m |= bit
		}
	}
	return m
}

// verdict is what a version's rule bits mean under a rule set.
type verdict struct{ complete, conform, relational bool }

func judge(err, warn uint64) verdict {
	return verdict{
		complete:   (err|warn)&complMask == 0,
		conform:    err&(complMask|normMask) == 0,
		relational: err&relMask == 0,
	}
}

// derived standards, by rules version and kind: parsing one costs a few ms.
var derived sync.Map

// standardFor returns the standard to evaluate versions with: the rules in
// force, minus batchOnly, and with relational rules off altogether unless
// relational is set (versions that are not part of a day's state).
func (rs *RuleSet) standardFor(relational bool) (*standard.Standard, error) {
	return derive(rs, fmt.Sprint(relational), func(r *standard.Rule) bool {
		return rs.On(r.ID) && !slices.Contains(batchOnly, r.ID) && (relational || r.Category != standard.Relational) && !rs.idle(r)
	})
}

// idle reports whether a rule can change no figure: it can only warn, is
// not a completeness rule (whose warnings count), and is checked on its own
// (a field check that fires ends the checks of its field, even as a
// warning, so those stay on). Leaving such rules out spares the engine most
// of its findings.
func (rs *RuleSet) idle(r *standard.Rule) bool {
	if r.Category == standard.Completeness || fieldCheck(r.ID) || rs.Severity(r.ID) != standard.Warning {
		return false
	}
	for _, sev := range r.Parts {
		if sev != standard.Warning {
			return false
		}
	}
	return true
}

// fieldCheck: the rules of the field checks, in the engine's order
// (validate doc.go: REQ → FMT-EXCEL → type → FMT-LEN → FMT-PATTERN →
// FMT-RANGE → CODE → ID-*), at most one finding per field.
func fieldCheck(id string) bool {
	return id == "REQ" || id == "REQ-COND" || id == "CODE" || strings.HasPrefix(id, "FMT-") || strings.HasPrefix(id, "ID-")
}

// derive makes (once per rules version and kind) a copy of the standard
// whose rules are switched on by on and have the rule set's severities.
func derive(rs *RuleSet, kind string, on func(*standard.Rule) bool) (*standard.Standard, error) {
	key := fmt.Sprintf("%p %s %s", rs.std, rs.Version, kind) // the same rules of another standard make another one
	if s, ok := derived.Load(key); ok {
		return s.(*standard.Standard), nil
	}
	cp := *rs.std
	cp.RegionsFile = ""
	cp.Rules = make([]*standard.Rule, len(rs.std.Rules))
	for i, r := range rs.std.Rules {
		rc := *r
		enabled := on(r)
		rc.Enabled, rc.Severity = &enabled, rs.Severity(r.ID)
		cp.Rules[i] = &rc
	}
	data, err := yaml.Marshal(&cp)
	if err != nil {
		return nil, fmt.Errorf("derive standard for rules %s: %w", rs.Version, err)
	}
	out, err := standard.Parse("rules-"+rs.Version+".yaml", data)
	if err != nil {
		return nil, fmt.Errorf("derive standard for rules %s: %w", rs.Version, err)
	}
	out.Regions, out.Path = rs.std.Regions, rs.std.Path
	derived.Store(key, out)
	return out, nil
}

// Changes lists the overrides in force, by rule.
func (rs *RuleSet) Changes() []store.RuleChange {
	out := make([]store.RuleChange, 0, len(rs.over))
	for _, c := range rs.over {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// StandardOn returns the standard with the rules in force on day d: what
// ingest and validate should check that day's packages with, so that the
// schedule changes what is rejected, not only what is measured. The result
// is shared: callers must not modify it.
func StandardOn(std *standard.Standard, schedule []store.RuleChange, d Day) (*standard.Standard, error) {
	rs := rulesOn(std, schedule, d)
	if len(rs.over) == 0 {
		return std, nil
	}
	return derive(rs, "ingest", func(r *standard.Rule) bool { return rs.On(r.ID) })
}
