package events

import (
	"context"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/events/ical"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// MeetingGuide returns the program's public weekly meetings as a Meeting
// Guide JSON feed (the code4recovery format read by the Meeting Guide app
// and 12 Step Meeting List): each public weekly meeting that is not
// cancelled, has not ended and recurs every week (FREQ=WEEKLY, on the days
// of BYDAY or of its start), keyed by the event id as its slug. baseURL,
// when given (such as https://alumni.example.org), makes the program the
// feed's entity with that address. Online links are not published. An
// unknown program is db.ErrNotFound.
func MeetingGuide(ctx context.Context, q db.Querier, programID string, baseURL string) ([]byte, error) {
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return nil, err
	}
	loc := p.Location()
	list, err := publicEvents(ctx, q, p, WeeklyMeeting)
	if err != nil {
		return nil, err
	}
	baseURL = strings.TrimRight(strings.TrimSpace(baseURL), "/")
	meetings := []ical.Meeting{}
	for _, e := range list {
		days, ok := weeklyDays(e.RRule)
		if !ok {
			continue
		}
		m := ical.Meeting{
			Name:             e.Title,
			Slug:             e.ID,
			Start:            e.Start.In(loc),
			Duration:         e.Duration,
			Days:             days,
			Notes:            strings.TrimSpace(strings.Join(nonEmpty(e.Description, e.Accessibility), "\n\n")),
			Location:         e.LocationName,
			FormattedAddress: e.Address,
			Updated:          e.UpdatedAt,
			Entity:           p.Name,
			EntityPhone:      p.Phone,
			EntityLocation:   p.Address,
		}
		if baseURL != "" {
			m.EntityURL = baseURL
		}
		meetings = append(meetings, m)
	}
	return ical.MeetingGuide(meetings)
}

// weeklyDays returns the weekdays of a rule that recurs every week; ok is
// false for any other rule (monthly, every other week, one-off). No days
// means the start's weekday.
func weeklyDays(rule string) (days []time.Weekday, ok bool) {
	names := map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
		"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}
	weekly := false
	for part := range strings.SplitSeq(normalizeRule(rule), ";") {
		key, value, _ := strings.Cut(part, "=")
		switch key {
		case "FREQ":
			weekly = value == "WEEKLY"
		case "INTERVAL":
			if value != "1" {
				return nil, false
			}
		case "BYDAY":
			for _, d := range strings.Split(value, ",") {
				wd, known := names[d]
				if !known {
					return nil, false
				}
				days = append(days, wd)
			}
		case "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS":
			return nil, false
		}
	}
	return days, weekly
}

// nonEmpty returns the parts that are not blank.
func nonEmpty(parts ...string) []string {
	var out []string
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
