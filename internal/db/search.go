package db

import "strings"

// MemberTextSearch returns a SQL condition on the user-id column col
// that holds for every user whose name, email, city, interests,
// languages or pathways (as stored: JSON lists as text) contain q, and
// its arguments; the condition may hold for some others too (a match
// across two fields), so callers check each row exactly. q must be lower
// case, at least three characters, and free of LIKE wildcards and
// characters other than ASCII letters, digits, spaces, hyphens and
// apostrophes; ok is false otherwise, and then there is no index to use.
//
// SQLite answers it from the FTS5 trigram table member_search, PostgreSQL
// from the pg_trgm indexes users_search and profiles_search (migration
// 00025); both are kept in step by the database itself.
func MemberTextSearch(q Querier, col, text string) (cond string, args []any, ok bool) {
	if len(text) < 3 {
		return "", nil, false
	}
	for _, r := range text {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '\'') {
			return "", nil, false
		}
	}
	like := "%" + text + "%"
	if q.Engine() == Postgres {
		return col + ` IN (SELECT id FROM users WHERE lower(first_name || ' ' || last_name || ' ' || email) LIKE ?
			UNION ALL SELECT user_id FROM profiles WHERE lower(city || ' ' || interests || ' ' || languages || ' ' || pathways) LIKE ?)`,
			[]any{like, like}, true
	}
	return col + ` IN (SELECT user_id FROM member_search_rows WHERE id IN (SELECT rowid FROM member_search WHERE body LIKE ?))`,
		[]any{like}, true
}

// AnyOf returns the query base (a SELECT with a WHERE clause, and its
// arguments baseArgs) narrowed to rows that meet at least one of conds
// (each with its own arguments), in the form each engine plans best:
// on SQLite a UNION ALL of one statement per condition, so that each is
// a range of its own index (a row may then come more than once); on
// PostgreSQL one OR, which it answers with one scan or a bitmap of
// indexes.
func AnyOf(q Querier, base string, baseArgs []any, conds []string, condArgs [][]any) (string, []any) {
	if len(conds) == 0 {
		return base, baseArgs
	}
	var args []any
	if q.Engine() == Postgres {
		args = append(args, baseArgs...)
		for _, a := range condArgs {
			args = append(args, a...)
		}
		return base + " AND (" + strings.Join(conds, " OR ") + ")", args
	}
	parts := make([]string, len(conds))
	for i, c := range conds {
		parts[i] = base + " AND " + c
		args = append(append(args, baseArgs...), condArgs[i]...)
	}
	return strings.Join(parts, " UNION ALL "), args
}
