package members

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Roster file limits: a larger file is refused as a whole.
const (
	// MaxRosterBytes caps the size of a roster file.
	MaxRosterBytes = 5 << 20
	// MaxRosterRows caps its number of people (rows after the header).
	MaxRosterRows = 20000
)

// RosterColumns are the columns a roster file may have, in their usual
// order. Header names are matched case-insensitively, in any order;
// first_name and email are required.
var RosterColumns = []string{"first_name", "last_name", "email", "phone", "discharge_date", "recovery_date", "coach_email"}

// RosterRow is one person of a roster file as written (trimmed). Row is
// the line's row number in the file, the header being row 1.
type RosterRow struct {
	Row           int
	FirstName     string
	LastName      string
	Email         string
	Phone         string
	DischargeDate string
	RecoveryDate  string
	CoachEmail    string
}

// RosterIssue is one problem found in a roster file: the row (header =
// 1; 0 for the file as a whole), the column ("" when it is about the whole
// row or file) and the reason, for people.
type RosterIssue struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// Error describes the issue with its place in the file.
func (e *RosterIssue) Error() string {
	switch {
	case e.Row == 0:
		return "roster file: " + e.Reason
	case e.Column == "":
		return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.Reason)
}

// ParseRoster reads a roster CSV file: UTF-8 with or without a byte-order
// mark, comma- or semicolon-separated (decided by the header line), with
// quoted fields. It checks the file's shape only (size, header, row
// lengths, encoding); the people's values are checked by PlanRoster. Any
// problem gives a *RosterIssue naming the row and, where it applies, the
// column.
func ParseRoster(data []byte) ([]RosterRow, error) {
	if len(data) > MaxRosterBytes {
		return nil, &RosterIssue{Reason: fmt.Sprintf("the file is larger than %d MiB; split it into smaller files", MaxRosterBytes>>20)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &RosterIssue{Row: firstInvalidLine(data), Reason: "the file is not UTF-8 text; save it as \"CSV UTF-8\""}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &RosterIssue{Row: 1, Reason: "the file is empty; the first row must name the columns"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectComma(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, csvIssue(err, 1)
	}
	cols, err := mapHeader(header)
	if err != nil {
		return nil, err
	}
	var out []RosterRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvIssue(err, 0)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(out) == MaxRosterRows {
			return nil, &RosterIssue{Row: line, Reason: fmt.Sprintf("the file has more than %d people; split it into smaller files", MaxRosterRows)}
		}
		if len(rec) != len(header) {
			return nil, &RosterIssue{Row: line, Reason: fmt.Sprintf("has %d cells but the header has %d", len(rec), len(header))}
		}
		row := RosterRow{Row: line}
		for i, v := range rec {
			v = csvTrim(v)
			switch cols[i] {
			case "first_name":
				row.FirstName = v
			case "last_name":
				row.LastName = v
			case "email":
				row.Email = v
			case "phone":
				row.Phone = v
			case "discharge_date":
				row.DischargeDate = v
			case "recovery_date":
				row.RecoveryDate = v
			case "coach_email":
				row.CoachEmail = v
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// detectComma picks ';' when the header line has more semicolons than
// commas outside quotes, and ',' otherwise.
func detectComma(data []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			break
		}
		switch b {
		case ',':
			commas++
		case ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// mapHeader returns the column name of each header cell, refusing unknown,
// repeated or missing required columns.
func mapHeader(header []string) ([]string, error) {
	known := map[string]bool{}
	for _, c := range RosterColumns {
		known[c] = true
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	var unknown []string
	for i, h := range header {
		name := strings.ToLower(csvTrim(h))
		name = strings.ReplaceAll(name, " ", "_")
		if !known[name] {
			unknown = append(unknown, fmt.Sprintf("%q", csvTrim(h)))
			continue
		}
		if seen[name] {
			return nil, &RosterIssue{Row: 1, Column: name, Reason: "this column appears twice"}
		}
		seen[name] = true
		cols[i] = name
	}
	if len(unknown) > 0 {
		return nil, &RosterIssue{Row: 1, Reason: "unknown column " + strings.Join(unknown, ", ") +
			"; the columns are " + strings.Join(RosterColumns, ", ")}
	}
	for _, req := range []string{"first_name", "email"} {
		if !seen[req] {
			return nil, &RosterIssue{Row: 1, Column: req, Reason: "this column is missing"}
		}
	}
	return cols, nil
}

// csvIssue turns an encoding/csv error into a RosterIssue at its line.
func csvIssue(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := "the row is not valid CSV"
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			reason = "a quote is not closed or is misplaced; put quotes around the whole cell and double quotes inside it"
		}
		row := pe.StartLine
		if row == 0 {
			row = pe.Line
		}
		return &RosterIssue{Row: row, Reason: reason}
	}
	return &RosterIssue{Row: max(line, 1), Reason: "the row could not be read"}
}

// firstInvalidLine is the line of the first byte that is not UTF-8.
func firstInvalidLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
