package web

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/cairn-recovery/cairn/internal/programs"
)

// footerCache holds the crisis footer rendered once per program version:
// it is on every page and only changes when the program's name or phone do.
type footerCache struct {
	mu sync.RWMutex
	m  map[footerKey]template.HTML
}

type footerKey struct {
	id, name, phone string
}

// footerData is what the footer template receives.
type footerData struct {
	Program *programs.Program
	Version string
}

// footer returns the crisis footer for p (nil: the installation has no
// program yet; the national numbers are still shown).
func (s *Server) footer(p *programs.Program) template.HTML {
	var k footerKey
	if p != nil {
		k = footerKey{p.ID, p.Name, p.Phone}
	}
	s.footers.mu.RLock()
	h, ok := s.footers.m[k]
	s.footers.mu.RUnlock()
	if ok {
		return h
	}
	var buf bytes.Buffer
	if err := s.tmpl.layout.ExecuteTemplate(&buf, "footer", footerData{Program: p, Version: s.version}); err != nil {
		s.log.Error("render footer", "err", err)
		return ""
	}
	h = template.HTML(buf.String())
	s.footers.mu.Lock()
	if s.footers.m == nil || len(s.footers.m) > 1000 {
		s.footers.m = map[footerKey]template.HTML{}
	}
	s.footers.m[k] = h
	s.footers.mu.Unlock()
	return h
}
