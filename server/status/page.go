package status

import (
	"fmt"
	"html/template"
	"strconv"
)

// parsePage parses the page's templates: "page", the whole page, and "live", the part
// its script replaces every second.
func parsePage() (*template.Template, error) {
	funcs := template.FuncMap{
		"short":   func(q string) string { return shortQuery(q, 140) },
		"bytes":   bytesText,
		"seconds": secondsText,
		"num":     thousands,
		"pct":     func(p float64) string { return fmt.Sprintf("%.0f%%", p) },
		"caption": plotCaption,
	}
	return template.New("page").Funcs(funcs).Parse(pageHTML)
}

// plotCaption describes the plot of r.
func plotCaption(r *Recent) string {
	return fmt.Sprintf("Query #%d on %s.%s, finished %s: %d rows × %d bins (the first of %d dropped), log-scaled bin axis.",
		r.Seq, r.Table, r.Variable, r.Finished.Format("15:04:05"), r.Groups, r.Bins-1, r.Bins)
}

// thousands writes n with thin spaces between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3*3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, "\u2009"...)
		}
		out = append(out, s[i])
	}
	return string(out)
}

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>zarrsql status</title>
<noscript><meta http-equiv="refresh" content="1"></noscript>
<style>
body { font-family: sans-serif; font-size: 14px; margin: 16px 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.q { max-width: 420px; font-family: monospace; font-size: 12px; }
progress { width: 140px; }
.err { color: #b00; }
.muted { color: #777; }
</style>
</head>
<body>
<h1>zarrsql status</h1>
<div id="live">{{template "live" .}}</div>
<script>
// Replace the live part every second; the plot's image stays in the browser's cache.
setInterval(async () => {
  try {
    const r = await fetch('?live=1', {cache: 'no-store'});
    if (r.ok) document.getElementById('live').innerHTML = await r.text();
  } catch (e) {}
}, 1000);
</script>
</body>
</html>
{{define "live"}}
<p class="muted">Updated {{.Time.Format "15:04:05"}} · refreshes every second · <a href="api/status">JSON</a></p>
<h2>Running queries ({{len .Running}})</h2>
{{if .Running}}<table id="running">
<tr><th>conn</th><th>user</th><th>query</th><th>array</th><th>progress</th><th>chunks</th><th>cells read</th><th>bytes read</th><th>elapsed</th><th>remaining</th><th>region</th></tr>
{{range .Running}}<tr>
<td class="n">{{.Conn}}</td><td>{{.User}}</td><td class="q" title="{{.Query}}">{{short .Query}}</td>
<td>{{.Table}}.{{.Variable}}<br><span class="muted">chunks along {{.Split}}</span></td>
<td><progress value="{{.ChunksDone}}" max="{{.Chunks}}"></progress> {{pct .Percent}}</td>
<td class="n">{{.ChunksDone}} of {{.Chunks}}</td>
<td class="n">{{num .CellsRead}} of {{num .Cells}}</td>
<td class="n">{{bytes .BytesRead}} of {{bytes .Bytes}}</td>
<td class="n">{{seconds .Elapsed}}</td>
<td class="n">{{with .Remaining}}{{seconds .}}{{else}}–{{end}}</td>
<td>{{.Region}}</td>
</tr>{{end}}
</table>{{else}}<p class="muted">No array plan is running.</p>{{end}}
<h2>Latest histogram</h2>
{{with .Plot}}<p id="plot-caption">{{caption .}}</p>
<img id="plot" src="{{.PlotURL}}" width="900" height="620" alt="histogram heat-map">
{{else}}<p id="plot-caption" class="muted">No histogram query has finished yet.</p>{{end}}
<h2>Executors</h2>
<table id="executors"><tr><th>executor</th><th>region</th><th>plans running</th></tr>
{{range .Executors}}<tr><td>{{.Name}}</td><td>{{.Region}}</td><td class="n">{{.Running}}</td></tr>{{end}}
</table>
<p class="muted">No remote executor is configured: every fragment runs in the in-process executor, region local.</p>
<h2>Connections (SHOW PROCESSLIST)</h2>
<table id="processes"><tr><th>id</th><th>user</th><th>host</th><th>db</th><th>command</th><th>time</th><th>state</th><th>info</th></tr>
{{range .Processes}}<tr><td class="n">{{.ID}}</td><td>{{.User}}</td><td>{{.Host}}</td><td>{{.DB}}</td><td>{{.Command}}</td>
<td class="n">{{.Seconds}}</td><td>{{.State}}</td><td class="q" title="{{.Query}}">{{short .Query}}</td></tr>{{end}}
</table>
<h2>Recent array queries ({{len .Recent}})</h2>
{{if .Recent}}<table id="recent">
<tr><th>#</th><th>finished</th><th>conn</th><th>query</th><th>array</th><th>chunks</th><th>cells read</th><th>bytes</th><th>duration</th><th>result</th></tr>
{{range .Recent}}<tr>
<td class="n">{{.Seq}}</td><td>{{.Finished.Format "15:04:05"}}</td><td class="n">{{.Conn}}</td>
<td class="q" title="{{.Query}}">{{short .Query}}</td><td>{{.Table}}.{{.Variable}}</td>
<td class="n">{{.ChunksDone}} of {{.Chunks}}</td><td class="n">{{num .CellsRead}}</td><td class="n">{{bytes .Bytes}}</td>
<td class="n">{{seconds .Duration}}</td>
<td>{{if .Error}}<span class="err">{{.Error}}</span>{{else if .PlotURL}}<a href="{{.PlotURL}}">plot</a> ({{.Groups}} × {{.Bins}}){{else}}ok{{end}}</td>
</tr>{{end}}
</table>{{else}}<p class="muted">No array plan has finished yet.</p>{{end}}
{{end}}`
