// Package members holds what Cairn knows about the members of a program
// beyond their account: profiles and who may see which part of them, coach
// assignments and buddy pairs, recovery dates and milestones, family links
// and their consents, and the roster import.
//
// Every read that a person makes goes through the rules of
// internal/access: a field whose visibility does not include the viewer is
// left out, and a member the viewer may not see is reported as not found.
package members

import (
	"fmt"
	"strings"
)

// FieldError is one problem with one field of a submitted form or body.
type FieldError struct {
	// Field is the form and JSON name of the field.
	Field string
	// Message says what is wrong, for people.
	Message string
}

// ValidationError lists the problems found in a submission, one per field.
type ValidationError []FieldError

// Error names every field with a problem.
func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid " + strings.Join(parts, "; ")
}

// For returns the message about field, or "".
func (v ValidationError) For(field string) string {
	for _, f := range v {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func (v *ValidationError) add(field, format string, args ...any) {
	*v = append(*v, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}
