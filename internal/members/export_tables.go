package members

// exportTable says where one kind of record about a person lives: the
// table, the columns that name the person (any of them matches), an extra
// condition, and the columns never exported. Features that store more
// about people add their table here (or export it through an
// ExportSection), so that "my data" stays complete: a test in
// internal/mydata fails when a table refers to users and is neither.
type exportTable struct {
	name  string
	who   []string
	omit  []string
	where string
	order string
}

// countColumns are the counts kept with a circle post. They are left out
// of the export: they count people in a block with the person too, which
// the pages never do, so they would tell that a block exists.
var countColumns = []string{"comment_count", "heart_count", "thanks_count", "strength_count", "celebrate_count"}

// exportTables lists every table whose rows about a person are exported
// as stored.
var exportTables = []exportTable{
	{name: "profiles", who: []string{"user_id"}},
	{name: "photos", who: []string{"user_id"}, omit: []string{"data"}, order: "created_at"},
	{name: "recovery_periods", who: []string{"user_id"}, order: "start_date"},
	{name: "recovery_settings", who: []string{"user_id"}},
	{name: "milestone_celebrations", who: []string{"user_id"}, order: "milestone_date"},
	{name: "coach_assignments", who: []string{"member_id", "coach_id"}},
	{name: "coach_assignment_history", who: []string{"member_id", "coach_id"}, order: "started_at"},
	{name: "buddies", who: []string{"member_id"}},
	{name: "consents", who: []string{"alumnus_id"}, order: "created_at"},
	{name: "family_links", who: []string{"alumnus_id", "family_id"}, order: "created_at"},
	{name: "disclosures", who: []string{"alumnus_id", "recipient_id"}, order: "disclosed_at"},
	{name: "notifications", who: []string{"user_id"}, order: "created_at"},
	{name: "notification_prefs", who: []string{"user_id"}},
	{name: "notification_settings", who: []string{"user_id"}},
	{name: "sessions", who: []string{"user_id"}, omit: []string{"token_hash"}, order: "created_at"},
	{name: "api_tokens", who: []string{"user_id"}, omit: []string{"token_hash"}, order: "created_at"},
	{name: "password_resets", who: []string{"user_id"}, omit: []string{"token_hash"}, order: "created_at"},
	{name: "invitations", who: []string{"user_id"}, omit: []string{"token_hash"}, order: "created_at"},
	{name: "deletion_requests", who: []string{"user_id"}, order: "requested_at"},
	{name: "events", who: []string{"host_id"}, order: "first_date"},
	{name: "event_rsvps", who: []string{"user_id"}, order: "created_at"},
	{name: "event_attendance", who: []string{"user_id"}, order: "checked_in_at"},
	{name: "event_honorees", who: []string{"user_id"}, order: "changed_at"},
	{name: "event_reminders_sent", who: []string{"user_id"}, order: "sent_at"},
	{name: "honour_answers", who: []string{"user_id"}, order: "milestone_date"},
	{name: "calendar_feeds", who: []string{"user_id"}, omit: []string{"token_hash"}},
	{name: "circle_members", who: []string{"user_id"}, order: "joined_at"},
	{name: "circle_posts", who: []string{"author_id"}, omit: countColumns, order: "created_at"},
	{name: "circle_comments", who: []string{"author_id"}, order: "created_at"},
	{name: "circle_reactions", who: []string{"user_id"}, order: "created_at"},
	// Blocks the person made; never those against them (the blocked
	// person is never told).
	{name: "blocks", who: []string{"blocker_id"}, order: "created_at"},
	// Reports the person made; never those about them (the reporter is
	// never revealed, and a report's fact alone would point at them).
	{name: "reports", who: []string{"reporter_id"}, order: "created_at"},
	// Suspensions of the person, without the report that led to one.
	{name: "suspensions", who: []string{"user_id"}, omit: []string{"report_id"}, order: "created_at"},
	// Crisis flags hold who, what kind of content and when, never words.
	{name: "crisis_flags", who: []string{"user_id"}, order: "created_at"},
	{name: "crisis_reach_outs", who: []string{"user_id"}, order: "created_at"},
	{name: "crisis_notify_claims", who: []string{"user_id"}},
	{name: "moderation_alerts", who: []string{"user_id"}},
}

// ExportedColumns lists, as "table.column", the references to a person
// whose rows ExportMine exports itself (sections add their own).
func ExportedColumns() []string {
	var out []string
	for _, t := range exportTables {
		for _, c := range t.who {
			out = append(out, t.name+"."+c)
		}
	}
	return out
}
