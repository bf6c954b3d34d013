// Package members holds what Cairn knows about the people of a program:
// profiles, recovery dates, family links, the roster import and each
// person's own data export.
package members

import "strings"

// CSVSafe guards one cell of a CSV export against formula injection: a
// cell that starts with =, +, -, @, a tab or a carriage return is prefixed
// with an apostrophe, so that a spreadsheet shows it as text instead of
// running it. Every CSV that Cairn writes passes its cells through here.
func CSVSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

// CSVSafeRow applies CSVSafe to every cell of a row.
func CSVSafeRow(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = CSVSafe(c)
	}
	return out
}

// csvTrim trims the spaces around a cell.
func csvTrim(s string) string { return strings.TrimSpace(s) }
