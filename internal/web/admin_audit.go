package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// adminAuditEntry is one row of the audit log as the page shows it.
type adminAuditEntry struct {
	audit.Entry
	ActorName string
	RoleLabel string
	// DetailText is the entry's detail as "key: value" pairs.
	DetailText string
}

// adminAuditData is the audit log page.
type adminAuditData struct {
	Entries []adminAuditEntry
	People  []*auth.User
	// Older is the link to the next page back, when there may be one.
	Older string
}

// adminAudit shows the program's audit log, newest first, with filters by
// action, person and date range (civil dates in the program's time zone).
// audit.List records the reading itself.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	if err := access.ViewAudit(a, a.ProgramID); err != nil {
		return err
	}
	people, err := s.auth.ListUsers(r.Context(), a, a.ProgramID)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(people))
	for _, u := range people {
		names[u.ID] = u.DisplayName()
	}
	data := &adminAuditData{People: people}
	v := s.adminView(r, "Audit log", data)
	query := r.URL.Query()
	v.Form = query

	f, errs := parseAuditFilter(query, v.Loc, names)
	if len(errs) > 0 {
		v.Errors = errs
		return s.renderView(w, r, http.StatusUnprocessableEntity, "admin_audit", v)
	}
	f.Limit = auditPageSize
	entries, err := audit.List(r.Context(), s.db, a, f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		data.Entries = append(data.Entries, adminAuditEntry{Entry: e, ActorName: auditActorName(e, names),
			RoleLabel: auditRoleLabel(e.ActorRole), DetailText: auditDetail(e.Detail)})
	}
	if len(entries) == auditPageSize {
		older := url.Values{}
		for _, k := range []string{"action", "actor", "from", "to"} {
			if val := strings.TrimSpace(query.Get(k)); val != "" {
				older.Set(k, val)
			}
		}
		older.Set("before", strconv.FormatInt(entries[len(entries)-1].Seq, 10))
		data.Older = "/admin/audit?" + older.Encode()
	}
	return s.render(w, r, "admin_audit", v)
}

// parseAuditFilter reads the filter form. Each bad field gets a message for
// people, keyed by the field's name.
func parseAuditFilter(q url.Values, loc *time.Location, people map[string]string) (audit.Filter, map[string]string) {
	var f audit.Filter
	errs := map[string]string{}
	f.Action = strings.TrimSpace(q.Get("action"))
	if !validAction(f.Action) {
		errs["action"] = "Enter an action such as user.role, or the start of one ending in a dot, such as signin."
	}
	f.ActorID = strings.TrimSpace(q.Get("actor"))
	if _, ok := people[f.ActorID]; f.ActorID != "" && !ok {
		errs["actor"] = "Choose one of the listed people."
	}
	from, ok := parseCivilDate(q.Get("from"), loc)
	if !ok {
		errs["from"] = "Enter the “from” date as year-month-day, for example 2026-11-30."
	}
	to, ok := parseCivilDate(q.Get("to"), loc)
	if !ok {
		errs["to"] = "Enter the “to” date as year-month-day, for example 2026-11-30."
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs["to"] = "The “to” date is before the “from” date."
	}
	f.From = from
	if !to.IsZero() {
		// The "to" day is included: entries before the next midnight.
		f.To = to.AddDate(0, 0, 1)
	}
	if b := strings.TrimSpace(q.Get("before")); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			errs["before"] = "This page link is not valid; start again from the newest entries."
		}
		f.Before = n
	}
	if len(errs) == 0 {
		errs = nil
	}
	return f, errs
}

// parseCivilDate reads a date like 2026-11-30 as midnight in loc; empty is
// the zero time and fine.
func parseCivilDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil || t.Year() < 2000 || t.Year() > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// validAction accepts audit action names and prefixes: lower-case letters,
// digits, dots, dashes and underscores.
func validAction(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// auditActorName names who acted: a person of the program by display name,
// the installation itself, a visitor, or an id that no longer resolves.
func auditActorName(e audit.Entry, names map[string]string) string {
	switch {
	case e.ActorID == "" && e.ActorRole == "system":
		return "Cairn (system)"
	case e.ActorID == "":
		return "Not signed in"
	}
	if n, ok := names[e.ActorID]; ok {
		return n
	}
	return e.ActorID
}

// auditRoleLabel is the acting role's name for people.
func auditRoleLabel(role string) string {
	switch role {
	case "":
		return "—"
	case "system":
		return "System"
	}
	return access.Role(role).Label()
}

// auditDetail writes an entry's detail as "key: value" pairs in key order.
// Details hold only non-sensitive facts such as role names.
func auditDetail(d map[string]string) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + d[k]
	}
	return strings.Join(parts, ", ")
}
