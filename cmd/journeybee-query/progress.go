package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jedib0t/go-pretty/v6/progress"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal: progress is drawn only there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressEvery is how often the line is redrawn: often enough to look
// live, rarely enough to cost nothing next to a scan.
const progressEvery = 150 * time.Millisecond

// progress is the live line on stderr: requests sent, rows streamed, and
// what the scan waits for. It counts from the client's events and the
// engine's rows; go-pretty's progress writer draws it.
type progressLine struct {
	writer  progress.Writer
	tracker *progress.Tracker
	restore func()

	requests atomic.Int64
	rows     atomic.Int64
	retries  atomic.Int64

	mu      sync.Mutex
	table   string
	waiting string // what the scan waits for, until its next request
	until   time.Time

	stopOnce sync.Once
}

func startProgress(w io.Writer) *progressLine {
	p := &progressLine{}
	pw := progress.NewWriter()
	pw.SetOutputWriter(w)
	pw.SetUpdateFrequency(progressEvery)
	pw.SetAutoStop(false)
	pw.SetMessageLength(100)
	pw.SetTrackerPosition(progress.PositionRight)
	style := progress.StyleDefault
	style.Visibility.Percentage = false
	style.Visibility.ETA = false
	style.Visibility.ETAOverall = false
	style.Visibility.TrackerOverall = false
	style.Visibility.Time = true
	style.Visibility.Value = false
	style.Visibility.Pinned = false
	style.Options.TimeInProgressPrecision = 100 * time.Millisecond
	style.Options.TimeDonePrecision = 100 * time.Millisecond
	style.Options.DoneString = "done"
	style.Options.ErrorString = "failed"
	style.Colors = progress.StyleColorsDefault
	pw.SetStyle(style)
	p.writer = pw
	p.tracker = &progress.Tracker{Message: "starting", Total: 0, Units: progress.UnitsDefault}
	pw.AppendTracker(p.tracker)
	p.restore = api.SetObserver(p.event)
	go pw.Render()
	return p
}

// refresh rewrites the tracker's message from the counters; go-pretty
// redraws it on its own tick. It runs on events, not on a timer of its
// own, so an idle scan wakes nothing but the redraw.
func (p *progressLine) refresh() {
	p.tracker.UpdateMessage(p.message())
}

// rowsPerRefresh is how many streamed rows refresh the line: a page
// (about 100 rows) moves the count, a single row is not worth a message.
const rowsPerRefresh = 50

func (p *progressLine) message() string {
	p.mu.Lock()
	table, waiting, until := p.table, p.waiting, p.until
	p.mu.Unlock()
	var b strings.Builder
	if table != "" {
		b.WriteString(table + ": ")
	}
	fmt.Fprintf(&b, "%s %s, %s %s", text.Bold.Sprint(p.requests.Load()), plural(p.requests.Load(), "request"), text.Bold.Sprint(p.rows.Load()), plural(p.rows.Load(), "row"))
	if n := p.retries.Load(); n > 0 {
		fmt.Fprintf(&b, ", %d %s", n, plural(n, "retry"))
	}
	if waiting != "" && time.Now().Before(until) {
		fmt.Fprintf(&b, "; waiting: %s until %s", waiting, until.Local().Format("15:04:05.0"))
	}
	return b.String()
}

// event counts the client's events (the api package's observer).
func (p *progressLine) event(e api.Event) {
	switch e.Kind {
	case api.EventRequest:
		p.requests.Add(1)
		p.mu.Lock()
		p.waiting = ""
		p.mu.Unlock()
	case api.EventRetry:
		p.retries.Add(1)
		p.setWait(fmt.Sprintf("retry %d of %s after %s", e.Attempt, e.Path, shortError(e.Err)), e.Until)
	case api.EventRateLimitWait:
		p.setWait("rate limit", e.Until)
	default:
		return
	}
	p.refresh()
}

func (p *progressLine) setWait(what string, until time.Time) {
	p.mu.Lock()
	p.waiting, p.until = what, until
	p.mu.Unlock()
}

// row counts a row the plugin streamed (the engine's row observer).
func (p *progressLine) row(table string) {
	n := p.rows.Add(1)
	if n == 1 {
		p.mu.Lock()
		p.table = table
		p.mu.Unlock()
	}
	if n%rowsPerRefresh == 1 {
		p.refresh()
	}
}

// fail marks the line failed; stop then ends it.
func (p *progressLine) fail() { p.tracker.MarkAsErrored() }

// stop draws the final line and stops drawing; it is safe to call twice.
func (p *progressLine) stop() {
	p.stopOnce.Do(func() {
		p.restore()
		p.refresh()
		if !p.tracker.IsDone() {
			p.tracker.MarkAsDone()
		}
		p.writer.Stop()
		for p.writer.IsRenderInProgress() {
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// shortError is the reason for a retry, on one short line.
func shortError(err error) string {
	if err == nil {
		return ""
	}
	if code := api.StatusCode(err); code != 0 {
		return fmt.Sprintf("HTTP %d", code)
	}
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}
