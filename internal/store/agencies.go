package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"shuiyun/internal/account"
)

// Profile returns an agency's responsibility profile; an agency that has
// reported none gets an empty one with only Agency set.
func (s *Store) Profile(ctx context.Context, code string) (account.Profile, error) {
	p := account.Profile{Agency: code}
	var updated int64
	err := s.r.QueryRowContext(ctx, s.d.rebind("SELECT department, person, phone, email, work_plan, updated_at, updated_by "+
		"FROM agency_profiles WHERE agency = ?"), code).Scan(&p.Department, &p.Person, &p.Phone, &p.Email, &p.WorkPlan, &updated, &p.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("profile of agency %s: %w", code, err)
	}
	p.UpdatedAt = microsTime(updated)
	return p, nil
}

// SetProfile saves an agency's profile whole; UpdatedAt defaults to now.
func (s *Store) SetProfile(ctx context.Context, p account.Profile) error {
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = s.Now()
	}
	_, err := s.w.ExecContext(ctx, s.d.rebind("INSERT INTO agency_profiles (agency, department, person, phone, email, work_plan, updated_at, updated_by) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agency) DO UPDATE SET department = excluded.department, person = excluded.person, "+
		"phone = excluded.phone, email = excluded.email, work_plan = excluded.work_plan, updated_at = excluded.updated_at, updated_by = excluded.updated_by"),
		p.Agency, p.Department, p.Person, p.Phone, p.Email, p.WorkPlan, p.UpdatedAt.UnixMicro(), p.UpdatedBy)
	if err != nil {
		return fmt.Errorf("save profile of agency %s: %w", p.Agency, err)
	}
	return nil
}
