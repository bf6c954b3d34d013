package safety

// FieldError is bad input, naming the field and saying kindly what to
// change. Nothing is changed when one is returned.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, message string) error { return &FieldError{Field: field, Message: message} }
