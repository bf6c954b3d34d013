package members

import (
	"fmt"
	"strings"
)

// startFilter is a SQL condition on the start date column col that
// every period with a milestone from from to to passes (and few others
// do), so that the database returns only the candidates; Between then
// decides exactly. It returns "" (no condition) when the window is a year
// or longer, since then every start date has an anniversary in it.
func (s Schedule) startFilter(col string, from, to Date) (string, []any) {
	if from.DaysUntil(to) >= 364 {
		return "", nil
	}
	var conds []string
	var args []any
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
		args = append(args, lo.String(), hi.String())
	}
	// Anniversaries: the start's month and day fall in the window's (a
	// start on 29 February has its anniversary on 28 February in common
	// years).
	md := func(d Date) string { return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day) }
	a, b := md(from), md(to)
	if a <= b {
		conds = append(conds, "substr("+col+", 6, 5) BETWEEN ? AND ?")
		args = append(args, a, b)
	} else {
		conds = append(conds, "substr("+col+", 6, 5) >= ?", "substr("+col+", 6, 5) <= ?")
		args = append(args, a, b)
	}
	conds = append(conds, "substr("+col+", 6, 5) = '02-29'")
	return "(" + strings.Join(conds, " OR ") + ")", args
}
