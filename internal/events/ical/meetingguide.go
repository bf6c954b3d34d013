package ical

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Meeting is one weekly meeting for the Meeting Guide JSON feed
// (https://github.com/code4recovery/spec), read by the Meeting Guide app
// and 12 Step Meeting List (TSML). Only Name and Slug are required by the
// format; the app also needs a day, a time and an address to list a meeting.
type Meeting struct {
	// Name is the meeting name, at most 255 characters (under 64 avoids
	// truncation in the app).
	Name string
	// Slug is the meeting's unique, URL-safe key in the feed (letters,
	// digits, "-" and "_"; at most 64 characters). Apps bookmark by it, so
	// keep it stable.
	Slug string
	// Start is the start of any occurrence, in the meeting's time zone: it
	// gives the time of day, the time zone and, when Days is empty, the
	// weekday. Required.
	Start time.Time
	// Duration gives end_time; zero leaves end_time out (apps assume an
	// hour).
	Duration time.Duration
	// Days are the weekdays the meeting meets; empty means Start's weekday.
	Days []time.Weekday
	// Types are Meeting Guide type codes such as "O" (open), "C" (closed),
	// "D" (discussion); see the spec for the list. Codes are written as
	// given.
	Types []string
	// Notes are free text about this meeting only; plain text, no HTML.
	Notes string
	// Location is the building or landmark name; LocationNotes apply to
	// every meeting there.
	Location      string
	LocationNotes string
	// FormattedAddress is a full one-line address; alternatively give the
	// parts Address, City, State, PostalCode and Country (ISO code).
	FormattedAddress string
	Address          string
	City             string
	State            string
	PostalCode       string
	Country          string
	// Region is a neighbourhood or city, used by TSML UI.
	Region string
	// Approximate says the address is only approximate (for example a city
	// for an online meeting); written as "yes", or left out.
	Approximate bool
	// ConferenceURL launches straight into an online meeting; the notes
	// fields hold passcodes or instructions. ConferencePhone is a dial-in
	// number (digits, "+", ",", "*", "#").
	ConferenceURL        string
	ConferenceURLNotes   string
	ConferencePhone      string
	ConferencePhoneNotes string
	// URL is the meeting's page on the program's site.
	URL string
	// Group is the name of the group holding the meeting.
	Group string
	// Updated is when the listing last changed; written in UTC.
	Updated time.Time
	// Entity fields describe the service entity publishing the feed
	// (the program); Entity is required when any other is given.
	Entity         string
	EntityURL      string
	EntityEmail    string
	EntityPhone    string
	EntityLocation string
}

// guideMeeting is the JSON shape of one meeting in the feed.
type guideMeeting struct {
	Name                 string   `json:"name"`
	Slug                 string   `json:"slug"`
	Day                  any      `json:"day"`
	Time                 string   `json:"time"`
	EndTime              string   `json:"end_time,omitempty"`
	Timezone             string   `json:"timezone,omitempty"`
	Types                []string `json:"types,omitempty"`
	Notes                string   `json:"notes,omitempty"`
	Location             string   `json:"location,omitempty"`
	LocationNotes        string   `json:"location_notes,omitempty"`
	FormattedAddress     string   `json:"formatted_address,omitempty"`
	Address              string   `json:"address,omitempty"`
	City                 string   `json:"city,omitempty"`
	State                string   `json:"state,omitempty"`
	PostalCode           string   `json:"postal_code,omitempty"`
	Country              string   `json:"country,omitempty"`
	Region               string   `json:"region,omitempty"`
	Approximate          string   `json:"approximate,omitempty"`
	ConferenceURL        string   `json:"conference_url,omitempty"`
	ConferenceURLNotes   string   `json:"conference_url_notes,omitempty"`
	ConferencePhone      string   `json:"conference_phone,omitempty"`
	ConferencePhoneNotes string   `json:"conference_phone_notes,omitempty"`
	URL                  string   `json:"url,omitempty"`
	Group                string   `json:"group,omitempty"`
	Updated              string   `json:"updated,omitempty"`
	Entity               string   `json:"entity,omitempty"`
	EntityURL            string   `json:"entity_url,omitempty"`
	EntityEmail          string   `json:"entity_email,omitempty"`
	EntityPhone          string   `json:"entity_phone,omitempty"`
	EntityLocation       string   `json:"entity_location,omitempty"`
}

// MeetingGuide encodes meetings, in the order given, as a Meeting Guide
// JSON feed: an array of meeting objects. day is one integer (0 = Sunday)
// or an array of them when a meeting meets on several days; time and
// end_time are "HH:MM" wall-clock times in the meeting's time zone; updated
// is "YYYY-MM-DD HH:MM:SS" in UTC. Bad input gives a *FieldError.
func MeetingGuide(meetings []Meeting) ([]byte, error) {
	out := make([]guideMeeting, 0, len(meetings))
	slugs := make(map[string]int, len(meetings))
	for i := range meetings {
		g, err := guideEntry(&meetings[i], i)
		if err != nil {
			return nil, err
		}
		if j, dup := slugs[g.Slug]; dup {
			return nil, fieldErr(fmt.Sprintf("meetings[%d].slug", i), fmt.Sprintf("is already used by meetings[%d]", j))
		}
		slugs[g.Slug] = i
		out = append(out, g)
	}
	return json.Marshal(out)
}

// guideEntry converts and checks meeting i.
func guideEntry(m *Meeting, i int) (guideMeeting, error) {
	f := func(name string) string { return fmt.Sprintf("meetings[%d].%s", i, name) }
	name := strings.TrimSpace(m.Name)
	switch {
	case name == "":
		return guideMeeting{}, fieldErr(f("name"), "is required")
	case len([]rune(name)) > 255:
		return guideMeeting{}, fieldErr(f("name"), "is longer than 255 characters")
	case m.Slug == "":
		return guideMeeting{}, fieldErr(f("slug"), "is required")
	case len(m.Slug) > 64 || strings.Trim(m.Slug, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "":
		return guideMeeting{}, fieldErr(f("slug"), "must be at most 64 letters, digits, - or _")
	case m.Start.IsZero():
		return guideMeeting{}, fieldErr(f("start"), "is required")
	case m.Duration < 0 || m.Duration >= 24*time.Hour:
		return guideMeeting{}, fieldErr(f("duration"), "must be between zero and 24 hours")
	case m.Entity == "" && m.EntityURL+m.EntityEmail+m.EntityPhone+m.EntityLocation != "":
		return guideMeeting{}, fieldErr(f("entity"), "is required when other entity fields are given")
	}
	for j, t := range m.Types {
		if t == "" || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return guideMeeting{}, fieldErr(fmt.Sprintf("meetings[%d].types[%d]", i, j), "must be a type code such as O or C")
		}
	}
	for _, u := range []struct{ field, value string }{{"url", m.URL}, {"conference_url", m.ConferenceURL}, {"entity_url", m.EntityURL}} {
		if u.value != "" {
			if err := checkURL(u.value); err != nil {
				return guideMeeting{}, fieldErr(f(u.field), err.Error())
			}
		}
	}
	if m.ConferencePhone != "" && strings.Trim(m.ConferencePhone, "0123456789+,*# -()") != "" {
		return guideMeeting{}, fieldErr(f("conference_phone"), "may hold only digits and + , * #")
	}

	days := m.Days
	if len(days) == 0 {
		days = []time.Weekday{m.Start.Weekday()}
	}
	seen := map[time.Weekday]bool{}
	nums := make([]int, 0, len(days))
	for j, d := range days {
		if d < time.Sunday || d > time.Saturday {
			return guideMeeting{}, fieldErr(fmt.Sprintf("meetings[%d].days[%d]", i, j), "must be Sunday to Saturday")
		}
		if !seen[d] {
			seen[d] = true
			nums = append(nums, int(d))
		}
	}
	g := guideMeeting{
		Name:                 name,
		Slug:                 m.Slug,
		Time:                 m.Start.Format("15:04"),
		Types:                m.Types,
		Notes:                m.Notes,
		Location:             m.Location,
		LocationNotes:        m.LocationNotes,
		FormattedAddress:     m.FormattedAddress,
		Address:              m.Address,
		City:                 m.City,
		State:                m.State,
		PostalCode:           m.PostalCode,
		Country:              m.Country,
		Region:               m.Region,
		ConferenceURL:        m.ConferenceURL,
		ConferenceURLNotes:   m.ConferenceURLNotes,
		ConferencePhone:      m.ConferencePhone,
		ConferencePhoneNotes: m.ConferencePhoneNotes,
		URL:                  m.URL,
		Group:                m.Group,
		Entity:               m.Entity,
		EntityURL:            m.EntityURL,
		EntityEmail:          m.EntityEmail,
		EntityPhone:          m.EntityPhone,
		EntityLocation:       m.EntityLocation,
	}
	if len(nums) == 1 {
		g.Day = nums[0]
	} else {
		g.Day = nums
	}
	if m.Duration > 0 {
		// Wall-clock arithmetic, so a daylight-saving change on the day of
		// Start cannot shift the listed end by an hour.
		mins := (m.Start.Hour()*60 + m.Start.Minute() + int(m.Duration/time.Minute)) % (24 * 60)
		g.EndTime = fmt.Sprintf("%02d:%02d", mins/60, mins%60)
	}
	if tz := m.Start.Location().String(); tz != "Local" {
		g.Timezone = tz
	}
	if m.Approximate {
		g.Approximate = "yes"
	}
	if !m.Updated.IsZero() {
		g.Updated = m.Updated.UTC().Format(time.DateTime)
	}
	return g, nil
}
