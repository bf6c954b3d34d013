package db

import (
	"context"
	"strings"
)

// InsertRows runs one multi-row INSERT in the transaction: prefix is the
// statement up to and including "VALUES ", and every row has the same
// number of values. Callers keep batches small enough (a few hundred rows)
// for both engines' limits on parameters.
func (t *Tx) InsertRows(ctx context.Context, prefix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	var b strings.Builder
	b.WriteString(prefix)
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
		args = append(args, r...)
	}
	_, err := t.Exec(ctx, b.String(), args...)
	return err
}
