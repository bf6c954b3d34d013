package web

import (
	"html/template"
	"strconv"
	"strings"
)

// reactionsHTML is the reaction block of post p: for people who may
// react, a form with one toggle button per reaction (htmx swaps the block
// with the answer); for others, the counts. It is built here rather than
// in a template because a page shows it twenty times and templates spend
// most of a page's time on it. Every value is escaped; from is "post" on
// the post's own page.
func reactionsHTML(p postView, canWrite bool, from string) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	writeReactions(&b, &p, canWrite, from)
	return template.HTML(b.String())
}

// writeReactions writes reactionsHTML to b.
func writeReactions(b *strings.Builder, p *postView, canWrite bool, from string) {
	esc := escapeTo(b)
	b.WriteString(`<div class="circle-reactions" id="reactions-`)
	esc(p.ID)
	b.WriteString(`">`)
	if canWrite {
		action := func() { esc(p.Link); b.WriteString("/react") }
		b.WriteString(`<form method="post" action="`)
		action()
		b.WriteString(`" hx-post="`)
		action()
		b.WriteString(`" hx-target="#reactions-`)
		esc(p.ID)
		b.WriteString(`" hx-swap="outerHTML">`)
		if from != "" {
			b.WriteString(`<input type="hidden" name="from" value="`)
			esc(from)
			b.WriteString(`">`)
		}
		for _, r := range p.Reactions {
			pressed := "false"
			if r.Mine {
				pressed = "true"
			}
			b.WriteString(`<button type="submit" name="kind" value="`)
			esc(r.Kind)
			b.WriteString(`" class="reaction" aria-pressed="`)
			b.WriteString(pressed)
			b.WriteString(`"><span aria-hidden="true">`)
			esc(r.Emoji)
			b.WriteString(`</span> <span class="vh">`)
			esc(r.Label)
			b.WriteString(`:</span> `)
			b.WriteString(strconv.Itoa(r.Count))
			b.WriteString(`</button> `)
		}
		b.WriteString(`</form>`)
	} else {
		b.WriteString(`<p class="small">`)
		for _, r := range p.Reactions {
			if r.Count > 0 {
				b.WriteString(`<span class="reaction-count"><span aria-hidden="true">`)
				esc(r.Emoji)
				b.WriteString(`</span> <span class="vh">`)
				esc(r.Label)
				b.WriteString(`:</span> `)
				b.WriteString(strconv.Itoa(r.Count))
				b.WriteString(`</span> `)
			}
		}
		b.WriteString(`</p>`)
	}
	b.WriteString(`</div>`)
}

// escapeTo returns a function that writes s to b escaped for HTML text
// and quoted attribute values (as template.HTMLEscapeString, without
// making a string when nothing needs escaping).
func escapeTo(b *strings.Builder) func(s string) {
	return func(s string) {
		if strings.ContainsAny(s, "'\"&<>\x00") {
			s = template.HTMLEscapeString(s)
		}
		b.WriteString(s)
	}
}

// postCardHTML is post p as a card in a circle's list: who and when, its
// words (or that a moderator removed them), its reaction block, the link
// to its comments, Report for others' posts and, for moderators, Pin.
// Like reactionsHTML it is built here, every value escaped, because the
// list shows twenty of them and the template engine made them the most
// of a page's time; circles_post.html shows one post with a template.
func postCardHTML(p postView, canWrite, canModerate bool) template.HTML {
	var b strings.Builder
	b.Grow(2048)
	writePostCard(&b, &p, canWrite, canModerate)
	return template.HTML(b.String())
}

// postListHTML is a circle's list of posts, each a card (postCardHTML),
// written at once: the page's template then has one value to write
// instead of twenty.
func postListHTML(posts []postView, canWrite, canModerate bool) template.HTML {
	var b strings.Builder
	b.Grow(2048 * (len(posts) + 1))
	b.WriteString(`<ul class="circle-posts">`)
	for i := range posts {
		b.WriteString(`<li>`)
		writePostCard(&b, &posts[i], canWrite, canModerate)
		b.WriteString("</li>\n")
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// writePostCard writes postCardHTML to b.
func writePostCard(b *strings.Builder, p *postView, canWrite, canModerate bool) {
	esc := escapeTo(b)
	id := func() { esc(p.ID) }
	by := func() { b.WriteString(`<span class="vh"> the post by `); esc(p.Author); b.WriteString(`</span>`) }
	b.WriteString(`<article class="card circle-post" id="post-`)
	id()
	b.WriteString(`" aria-labelledby="post-`)
	id()
	b.WriteString(`-by"><p class="small" id="post-`)
	id()
	b.WriteString(`-by">`)
	if p.Pinned {
		b.WriteString(`<span class="badge">Pinned</span> `)
	}
	b.WriteString(`<strong>`)
	esc(p.Author)
	b.WriteString(`</strong> · <time datetime="`)
	esc(p.ISO)
	b.WriteString(`">`)
	esc(p.When)
	b.WriteString(`</time>`)
	if !p.EditedAt.IsZero() {
		b.WriteString(` · edited`)
	}
	b.WriteString(`</p>`)
	switch {
	case !p.Shown:
		b.WriteString(`<p class="muted"><em>Removed by a moderator.</em></p>`)
	case p.Hidden:
		b.WriteString(`<p class="notice" role="note">Hidden by a moderator. Only moderators see these words.</p>`)
		fallthrough
	default:
		b.WriteString(`<div class="circle-text">`)
		b.WriteString(string(p.HTML))
		b.WriteString(`</div>`)
	}
	writeReactions(b, p, canWrite, "")
	b.WriteString(`<p class="small post-links"><a href="`)
	esc(p.Link)
	b.WriteString(`">`)
	switch {
	case p.Comments == 1:
		b.WriteString("1 comment")
	case p.Comments > 1:
		b.WriteString(strconv.Itoa(p.Comments))
		b.WriteString(" comments")
	default:
		b.WriteString("Comment")
	}
	b.WriteString(`<span class="vh"> on the post by `)
	esc(p.Author)
	b.WriteString(`</span></a>`)
	if !p.Own {
		b.WriteString(` · <a href="/report?kind=post&amp;id=`)
		id()
		b.WriteString(`">Report`)
		by()
		b.WriteString(`</a>`)
	}
	b.WriteString(`</p>`)
	if canModerate {
		on, label := "1", "Pin to top"
		if p.Pinned {
			on, label = "0", "Unpin"
		}
		b.WriteString(`<form method="post" action="`)
		esc(p.Link)
		b.WriteString(`/pin" class="inline"><input type="hidden" name="on" value="`)
		b.WriteString(on)
		b.WriteString(`"><button type="submit" class="link">`)
		b.WriteString(label)
		by()
		b.WriteString(`</button></form>`)
	}
	b.WriteString(`</article>`)
}
