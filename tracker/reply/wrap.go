package reply

import (
	"strings"
	"unicode/utf8"
)

// wrapWidth is the column body text is wrapped at.
const wrapWidth = 72

// layout wraps text for mail: every line is wrapped at wrapWidth
// except quoted lines and commands, trailing blanks are removed (but
// not from the "-- " signature separator), and the text ends with
// exactly one newline.
func layout(text string) string {
	var out []string
	for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
		if line != "-- " {
			line = strings.TrimRight(line, " \t")
		}
		out = append(out, wrapLine(line, wrapWidth)...)
	}
	return strings.Join(out, "\n") + "\n"
}

// verbatim reports whether line must never be rewrapped: quoted text
// and command lines ("git ...", "$ ...").
func verbatim(line string) bool {
	if strings.HasPrefix(line, ">") {
		return true
	}
	t := strings.TrimLeft(line, " \t")
	return strings.HasPrefix(t, "git ") || strings.HasPrefix(t, "$ ")
}

// wrapLine breaks line at spaces so that each piece fits in width
// columns. Continuation lines keep the line's indentation, plus two
// columns after a list marker. A word longer than width (a URL) stays
// whole on a line of its own.
func wrapLine(line string, width int) []string {
	if utf8.RuneCountInString(line) <= width || verbatim(line) {
		return []string{line}
	}
	rest := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(rest)]
	hang := indent
	if strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "* ") {
		hang += "  "
	}
	var out []string
	cur, prefix := indent, indent
	for _, w := range strings.Fields(rest) {
		n := utf8.RuneCountInString(cur)
		if len(cur) > len(prefix) && n+1+utf8.RuneCountInString(w) > width {
			out = append(out, cur)
			cur, prefix = hang, hang
		}
		if len(cur) > len(prefix) {
			cur += " "
		}
		cur += w
	}
	return append(out, cur)
}
