package web

import "net/http"

// mismatchMessage is shown by the "confirm" field when the two typed
// passwords differ.
const mismatchMessage = "The two passwords are not the same. Please type them again."

// confirmedPassword returns the posted "password", and false when the
// "confirm" field does not match it (the page then shows mismatchMessage
// by "confirm"). The account, invitation and reset forms share it.
func confirmedPassword(r *http.Request) (string, bool) {
	password := r.PostFormValue("password")
	return password, password == r.PostFormValue("confirm")
}
