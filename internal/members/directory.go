package members

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
)

// DirectoryFilter is a directory search. Empty fields match everyone.
type DirectoryFilter struct {
	// Query matches the display name (and, for staff, the full name), the
	// city, interests, languages and the pathways the searcher may see.
	Query    string
	Interest string
	City     string
	Language string
	// Pathway is a pathway key or label; it matches only members whose
	// pathways the searcher may see.
	Pathway string
}

// MaxDirectoryResults caps one page of directory results.
const MaxDirectoryResults = 200

// Directory returns the members of the viewer's program who match f, as
// the viewer may see them, sorted by display name. Only signed-in alumni
// and staff may search (anyone else gets db.ErrNotFound). Members hidden
// from the directory are listed to staff and to themselves only. A field
// the viewer may not see is never matched, so that a filter cannot reveal
// it: the result depends only on what the viewer could read anyway. People
// blocked by the viewer, or who blocked the viewer, are never listed.
func Directory(ctx context.Context, q db.Querier, viewer access.Actor, f DirectoryFilter) ([]*MemberView, error) {
	if access.UseProfiles(viewer) != nil || viewer.ProgramID == "" {
		return nil, access.ErrNotFound
	}
	var pathway string
	if p := strings.TrimSpace(f.Pathway); p != "" {
		key, ok := PathwayKey(p)
		if !ok {
			return nil, ValidationError{{Field: "pathway", Message: "Unknown pathway (choose 12-step, smart, faith, mat, secular or other)."}}
		}
		pathway = key
	}
	coached, err := coachedBy(ctx, q, viewer.ProgramID, viewer.UserID)
	if err != nil {
		return nil, err
	}
	buddies, err := buddiesOf(ctx, q, viewer.ProgramID, viewer.UserID)
	if err != nil {
		return nil, err
	}
	// Blocked people never find each other, whichever of them blocked.
	blocked, err := safety.BlockedIDs(ctx, q, viewer.UserID)
	if err != nil {
		return nil, err
	}
	seeHidden := access.SeeHiddenMembers(viewer, viewer.ProgramID) == nil
	// Narrow the scan in SQL where that can only drop rows the exact
	// check below would drop too; visibility is always decided in Go.
	where := ` WHERE u.program_id = ? AND u.role <> 'family' AND u.disabled_at IS NULL`
	args := []any{viewer.ProgramID}
	if pathway != "" {
		where += ` AND p.pathways LIKE ?`
		args = append(args, `%"`+pathway+`"%`)
	}
	if city := strings.TrimSpace(f.City); city != "" && isPlainASCII(city) {
		where += ` AND LOWER(p.city) LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(strings.ToLower(city))+"%")
	}
	if query := strings.TrimSpace(f.Query); query != "" && textPrefilterable(query) {
		w, a := textCondition(q, strings.ToLower(query))
		where += w
		args = append(args, a...)
	}
	rows, err := q.Query(ctx, memberSelect+where, args...)
	if err != nil {
		return nil, fmt.Errorf("members: directory: %w", err)
	}
	defer rows.Close()
	var out []*MemberView
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("members: directory: %w", err)
		}
		if blocked[m.id] {
			continue
		}
		rel := access.Relation{Self: m.id == viewer.UserID, Coach: coached[m.id], Buddy: buddies[m.id], SameProgram: true}
		if !m.visibleTo(viewer, rel) || (m.profile.Hidden && !rel.Self && !seeHidden) {
			continue
		}
		v := m.view(viewer, rel)
		if !v.matches(f, pathway) {
			continue
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("members: directory: %w", err)
	}
	slices.SortFunc(out, func(a, b *MemberView) int {
		if c := strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(out) > MaxDirectoryResults {
		out = out[:MaxDirectoryResults]
	}
	return out, nil
}

// matches applies f to what the view shows: a field the viewer may not see
// is already empty in v, so it cannot match.
func (v *MemberView) matches(f DirectoryFilter, pathway string) bool {
	has := func(s, sub string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(sub)) }
	anyHas := func(l []string, sub string) bool {
		return slices.ContainsFunc(l, func(s string) bool { return has(s, sub) })
	}
	if s := strings.TrimSpace(f.Interest); s != "" && !anyHas(v.Interests, s) {
		return false
	}
	if s := strings.TrimSpace(f.Language); s != "" && !anyHas(v.Languages, s) {
		return false
	}
	if s := strings.TrimSpace(f.City); s != "" && !has(v.City, s) {
		return false
	}
	if pathway != "" && !slices.Contains(v.Pathways, pathway) {
		return false
	}
	s := strings.TrimSpace(f.Query)
	if s == "" {
		return true
	}
	return has(v.DisplayName, s) || has(v.FullName, s) || has(v.City, s) ||
		anyHas(v.Interests, s) || anyHas(v.Languages, s) || anyHas(v.PathwayLabels(), s)
}

// isPlainASCII reports whether s has only ASCII letters, digits, spaces
// and common punctuation, so that SQL's LOWER agrees with Go's.
func isPlainASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			return false
		}
	}
	return true
}

// likeEscape escapes the LIKE wildcards of s with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// textPrefilterable reports whether a free-text query is plain enough
// (ASCII letters, digits, spaces, hyphens, apostrophes) for the SQL
// pre-filter: LOWER agrees with Go on it and it appears unescaped in the
// JSON lists.
func textPrefilterable(q string) bool {
	for _, r := range q {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '\'') {
			return false
		}
	}
	return true
}

// textCondition narrows the scan for a plain free-text query (see
// textPrefilterable): from the engine's text index (db.MemberTextSearch)
// when the query is long enough and names no pathway, and otherwise with
// textPrefilter. Either way a superset of the matches is returned, and
// matches decides on what the viewer may see.
func textCondition(q db.Querier, query string) (string, []any) {
	for _, pw := range Pathways {
		if strings.Contains(strings.ToLower(pw.Label), query) {
			return textPrefilter(query)
		}
	}
	if cond, args, ok := db.MemberTextSearch(q, "u.id", query); ok {
		return " AND " + cond, args
	}
	return textPrefilter(query)
}

// textPrefilter narrows the scan for a free-text query to rows whose raw
// columns contain it somewhere the exact check in matches could find it
// (names, email for members without a name, city, interests, languages,
// pathways whose label contains it). It is a superset: visibility is still
// decided in Go on each row, so a hidden field never matches.
func textPrefilter(q string) (string, []any) {
	like := "%" + likeEscape(q) + "%"
	conds := []string{
		`LOWER(u.first_name || ' ' || u.last_name || ' ' || u.email) LIKE ? ESCAPE '\'`,
		`LOWER(p.city) LIKE ? ESCAPE '\'`,
		`LOWER(p.interests) LIKE ? ESCAPE '\'`,
		`LOWER(p.languages) LIKE ? ESCAPE '\'`,
	}
	args := []any{like, like, like, like}
	for _, pw := range Pathways {
		if strings.Contains(strings.ToLower(pw.Label), q) {
			conds = append(conds, `p.pathways LIKE ?`)
			args = append(args, `%"`+pw.Key+`"%`)
		}
	}
	return " AND (" + strings.Join(conds, " OR ") + ")", args
}
