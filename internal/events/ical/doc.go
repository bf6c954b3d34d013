// Package ical turns Cairn's events into the two standard formats that
// calendar and meeting-finder software reads: iCalendar (RFC 5545) feeds and
// the code4recovery Meeting Guide JSON feed.
//
// The package is pure: it takes plain values and returns bytes. It knows
// nothing about the database, access rules or HTTP, so the events store, the
// web handlers and the JSON API can all use it.
//
// Times are written in the calendar's IANA time zone with a TZID parameter,
// and the matching VTIMEZONE is generated from Go's time zone database, so a
// weekly 18:30 meeting stays at 18:30 on both sides of a daylight-saving
// change in every client.
package ical
