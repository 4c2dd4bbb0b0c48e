package volatile

import (
	"fmt"
	"strings"
)

// manifest is the message of p's merge commit: the pull request, then
// the integration manifest of the tree up to and including it.
func (b *builder) manifest(p *pending, before []*pending) string {
	var s strings.Builder
	fmt.Fprintf(&s, "Merge pull request #%d: %s\n\n", p.in.ID, oneLine(p.in.Subject))
	fmt.Fprintf(&s, "Message-ID: <%s>\nTip: %s\n", oneLine(p.in.MessageID), p.tip)
	if p.in.Window != "" {
		fmt.Fprintf(&s, "Window: %s\n", oneLine(p.in.Window))
	}
	fmt.Fprintf(&s, "\nVolatile for-next manifest, in merge order:\nbase %s %s\n", b.o.Base, b.base)
	for i, k := range append(before, p) {
		fmt.Fprintf(&s, "%d. #%d %s <%s>\n", i+1, k.in.ID, k.tip, oneLine(k.in.MessageID))
	}
	return s.String()
}
