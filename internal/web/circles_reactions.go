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
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(1024)
	b.WriteString(`<div class="circle-reactions" id="reactions-`)
	b.WriteString(esc(p.ID))
	b.WriteString(`">`)
	if canWrite {
		action := esc(p.Link) + "/react"
		b.WriteString(`<form method="post" action="` + action + `" hx-post="` + action + `" hx-target="#reactions-` + esc(p.ID) + `" hx-swap="outerHTML">`)
		if from != "" {
			b.WriteString(`<input type="hidden" name="from" value="` + esc(from) + `">`)
		}
		for _, r := range p.Reactions {
			pressed := "false"
			if r.Mine {
				pressed = "true"
			}
			b.WriteString(`<button type="submit" name="kind" value="` + esc(r.Kind) + `" class="reaction" aria-pressed="` + pressed +
				`"><span aria-hidden="true">` + esc(r.Emoji) + `</span> <span class="vh">` + esc(r.Label) + `:</span> ` + strconv.Itoa(r.Count) + `</button> `)
		}
		b.WriteString(`</form>`)
	} else {
		b.WriteString(`<p class="small">`)
		for _, r := range p.Reactions {
			if r.Count > 0 {
				b.WriteString(`<span class="reaction-count"><span aria-hidden="true">` + esc(r.Emoji) + `</span> <span class="vh">` + esc(r.Label) +
					`:</span> ` + strconv.Itoa(r.Count) + `</span> `)
			}
		}
		b.WriteString(`</p>`)
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
}

// postCardHTML is post p as a card in a circle's list: who and when, its
// words (or that a moderator removed them), its reaction block, the link
// to its comments, Report for others' posts and, for moderators, Pin.
// Like reactionsHTML it is built here, every value escaped, because the
// list shows twenty of them and the template engine made them the most
// of a page's time; circles_post.html shows one post with a template.
func postCardHTML(p postView, canWrite, canModerate bool) template.HTML {
	esc := template.HTMLEscapeString
	id, author, link := esc(p.ID), esc(p.Author), esc(p.Link)
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(`<article class="card circle-post" id="post-` + id + `" aria-labelledby="post-` + id + `-by"><p class="small" id="post-` + id + `-by">`)
	if p.Pinned {
		b.WriteString(`<span class="badge">Pinned</span> `)
	}
	b.WriteString(`<strong>` + author + `</strong> · <time datetime="` + esc(p.ISO) + `">` + esc(p.When) + `</time>`)
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
		b.WriteString(`<div class="circle-text">` + string(p.HTML) + `</div>`)
	}
	b.WriteString(string(reactionsHTML(p, canWrite, "")))
	comments := "Comment"
	switch {
	case p.Comments == 1:
		comments = "1 comment"
	case p.Comments > 1:
		comments = strconv.Itoa(p.Comments) + " comments"
	}
	b.WriteString(`<p class="small post-links"><a href="` + link + `">` + comments + `<span class="vh"> on the post by ` + author + `</span></a>`)
	if !p.Own {
		b.WriteString(` · <a href="/report?kind=post&amp;id=` + id + `">Report<span class="vh"> the post by ` + author + `</span></a>`)
	}
	b.WriteString(`</p>`)
	if canModerate {
		on, label := "1", "Pin to top"
		if p.Pinned {
			on, label = "0", "Unpin"
		}
		b.WriteString(`<form method="post" action="` + link + `/pin" class="inline"><input type="hidden" name="on" value="` + on +
			`"><button type="submit" class="link">` + label + `<span class="vh"> the post by ` + author + `</span></button></form>`)
	}
	b.WriteString(`</article>`)
	return template.HTML(b.String())
}
