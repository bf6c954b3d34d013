package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
)

// Settings are a program's event settings.
type Settings struct {
	// ReminderOffsets are how long before an occurrence reminders go to
	// the people who answered yes or maybe, longest first.
	ReminderOffsets []time.Duration
	// RSVPClose is how long before an occurrence RSVPs close, for events
	// that do not set their own.
	RSVPClose time.Duration
}

// DefaultSettings are the settings of a program that saved none:
// reminders 24 hours and 2 hours before, RSVPs open until the start.
func DefaultSettings() Settings {
	return Settings{ReminderOffsets: []time.Duration{24 * time.Hour, 2 * time.Hour}}
}

// Limits on settings.
const (
	maxReminders      = 5
	maxReminderOffset = 14 * 24 * time.Hour
)

// GetSettings returns the program's event settings, or the defaults when it
// saved none.
func GetSettings(ctx context.Context, q db.Querier, programID string) (Settings, error) {
	var offsets string
	var closeMinutes int
	err := db.Err(q.QueryRow(ctx, `SELECT reminder_offsets, rsvp_close_minutes FROM event_settings WHERE program_id = ?`,
		programID).Scan(&offsets, &closeMinutes))
	if errors.Is(err, db.ErrNotFound) {
		return DefaultSettings(), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("events: settings: %w", err)
	}
	s := Settings{RSVPClose: time.Duration(closeMinutes) * time.Minute}
	for _, p := range strings.Split(offsets, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		m, err := strconv.Atoi(p)
		if err != nil || m <= 0 {
			return Settings{}, fmt.Errorf("events: settings: stored reminder offset %q", p)
		}
		s.ReminderOffsets = append(s.ReminderOffsets, time.Duration(m)*time.Minute)
	}
	return s, nil
}

// validate checks s and puts the offsets in order, longest first.
func (s *Settings) validate() error {
	var f fieldErrs
	if len(s.ReminderOffsets) > maxReminders {
		f.add("reminder_offsets", "must be at most %d reminders", maxReminders)
	}
	for _, o := range s.ReminderOffsets {
		if o < time.Minute || o > maxReminderOffset || o%time.Minute != 0 {
			f.add("reminder_offsets", "must each be whole minutes from 1 minute to 14 days before the start")
		}
	}
	offs := slices.Clone(s.ReminderOffsets)
	slices.Sort(offs)
	offs = slices.Compact(offs)
	if len(offs) != len(s.ReminderOffsets) {
		f.add("reminder_offsets", "must not repeat a reminder")
	}
	slices.Reverse(offs)
	s.ReminderOffsets = offs
	if s.RSVPClose < 0 || s.RSVPClose > time.Duration(maxRSVPCloseMinutes)*time.Minute || s.RSVPClose%time.Minute != 0 {
		f.add("rsvp_close_minutes", "must be whole minutes from 0 to %d", maxRSVPCloseMinutes)
	}
	return f.err()
}

// SaveSettings stores the program's event settings (coordinators and
// admins). Bad values are a members.ValidationError and change nothing.
func SaveSettings(ctx context.Context, d *db.DB, actor access.Actor, programID string, s Settings) error {
	if err := access.ManageEvents(actor, programID); err != nil {
		return err
	}
	if err := s.validate(); err != nil {
		return err
	}
	parts := make([]string, len(s.ReminderOffsets))
	for i, o := range s.ReminderOffsets {
		parts[i] = strconv.Itoa(int(o / time.Minute))
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO event_settings (program_id, reminder_offsets, rsvp_close_minutes, updated_at)
			VALUES (?, ?, ?, ?)
			ON CONFLICT (program_id) DO UPDATE SET reminder_offsets = excluded.reminder_offsets,
				rsvp_close_minutes = excluded.rsvp_close_minutes, updated_at = excluded.updated_at`,
			programID, strings.Join(parts, ","), int(s.RSVPClose/time.Minute), nowStamp())
		if err != nil {
			return fmt.Errorf("events: save settings: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "events.settings", SubjectType: "program", SubjectID: programID,
			Detail: map[string]string{"reminders": strconv.Itoa(len(parts))}})
	})
}

// validationError is a one-field members.ValidationError.
func validationError(field, message string) error {
	return members.ValidationError{{Field: field, Message: message}}
}
