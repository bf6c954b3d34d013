package ical

// FieldError names the input field that is wrong and says why, in words for
// people. Field is a path such as "events[2].rrule" or "meetings[0].slug".
type FieldError struct {
	// Field is the path of the offending field.
	Field string
	// Message says what is wrong with it.
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, msg string) error { return &FieldError{Field: field, Message: msg} }
