package members

import (
	"fmt"
)

// startFilter returns SQL conditions on the start date column col such
// that every period with a milestone from from to to passes at least one
// of them (and few others do), so that the database returns only the
// candidates; Between then decides exactly. Each condition is a range of
// one index: col itself for the schedule's steps, and substr(col, 6, 5),
// the start's month and day, for the anniversaries (see the index
// recovery_periods_anniversary). It returns nil (no condition) when the
// window is a year or longer, since then every start date has an
// anniversary in it.
func (s Schedule) startFilter(col string, from, to Date) ([]string, [][]any) {
	if from.DaysUntil(to) >= 364 {
		return nil, nil
	}
	var conds []string
	var args [][]any
	for _, st := range s {
		lo, hi := from, to
		switch st.Unit {
		case Hours, Days:
			k := st.DateFrom(from).DaysUntil(from)
			lo, hi = from.AddDays(k), to.AddDays(k)
		case Months, Years:
			n := st.Amount
			if st.Unit == Years {
				n *= 12
			}
			// Month arithmetic clamps month ends: allow three days either side.
			lo, hi = from.AddMonths(-n).AddDays(-3), to.AddMonths(-n).AddDays(3)
		}
		conds = append(conds, col+" BETWEEN ? AND ?")
		args = append(args, []any{lo.String(), hi.String()})
	}
	// Anniversaries: the start's month and day fall in the window's (a
	// start on 29 February has its anniversary on 28 February in common
	// years).
	md := func(d Date) string { return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day) }
	a, b := md(from), md(to)
	monthDay := "substr(" + col + ", 6, 5)"
	if a <= b {
		conds = append(conds, monthDay+" BETWEEN ? AND ?")
		args = append(args, []any{a, b})
	} else {
		conds = append(conds, monthDay+" >= ?", monthDay+" <= ?")
		args = append(args, []any{a}, []any{b})
	}
	conds = append(conds, monthDay+" = '02-29'")
	args = append(args, nil)
	return conds, args
}
