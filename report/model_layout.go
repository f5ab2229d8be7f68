package report

import (
	"github.com/strider-sec/strider/mappings"
	"github.com/strider-sec/strider/threatmodel"
)

// A nested grid layout for diagram exports: every container zone is a
// box that holds its elements in a grid and its child zones below them,
// packed in rows. Boxes are sized bottom-up, then placed top-down, so a
// box always contains its members and siblings never overlap.

const (
	layoutNodeW   = 160 // element cell width
	layoutNodeH   = 80  // element cell height
	layoutGap     = 40  // between cells and between boxes
	layoutPad     = 20  // inside a box
	layoutHeader  = 40  // the box's title band
	layoutColumns = 3   // elements per row inside a box
	layoutMaxRow  = 1600
)

// box is a placed rectangle.
type box struct{ X, Y, W, H int }

// modelLayout holds the rectangles of zones and elements by ID.
type modelLayout struct {
	zones    map[string]box
	elements map[string]box
	W, H     int
}

// nodeSize is the size of an element's shape in Threat Dragon's
// conventions: processes are circles, the rest rectangles.
func nodeSize(e *threatmodel.Element) (w, h int) {
	if e.Kind == mappings.Process {
		return 100, 100
	}
	return layoutNodeW, layoutNodeH
}

func layoutModel(m *threatmodel.Model) *modelLayout {
	l := &modelLayout{zones: map[string]box{}, elements: map[string]box{}}
	size := map[string][2]int{}
	var measure func(z *threatmodel.Zone) (int, int)
	children := func(id string) []*threatmodel.Zone {
		var out []*threatmodel.Zone
		for _, c := range m.Children(id) {
			if c.Container {
				out = append(out, c)
			}
		}
		return out
	}
	grid := func(n int) (int, int) {
		if n == 0 {
			return 0, 0
		}
		cols := min(n, layoutColumns)
		rows := (n + layoutColumns - 1) / layoutColumns
		return cols*layoutNodeW + (cols-1)*layoutGap, rows*(layoutNodeH+20) + (rows-1)*layoutGap
	}
	// shelf packs sizes in rows no wider than max, returning positions
	// relative to the origin and the total size.
	shelf := func(sizes [][2]int, limit int) ([][2]int, int, int) {
		pos := make([][2]int, len(sizes))
		x, y, rowH, w := 0, 0, 0, 0
		for i, s := range sizes {
			if x > 0 && x+s[0] > limit {
				x, y, rowH = 0, y+rowH+layoutGap, 0
			}
			pos[i] = [2]int{x, y}
			x += s[0] + layoutGap
			rowH = max(rowH, s[1])
			w = max(w, x-layoutGap)
		}
		return pos, w, y + rowH
	}
	measure = func(z *threatmodel.Zone) (int, int) {
		gw, gh := grid(len(m.Members(z.ID)))
		var sizes [][2]int
		for _, c := range children(z.ID) {
			w, h := measure(c)
			sizes = append(sizes, [2]int{w, h})
		}
		_, cw, ch := shelf(sizes, layoutMaxRow)
		w := max(gw, cw, layoutNodeW+layoutGap)
		h := gh + ch
		if gh > 0 && ch > 0 {
			h += layoutGap
		}
		w, h = w+2*layoutPad, h+layoutHeader+2*layoutPad
		size[z.ID] = [2]int{w, h}
		return w, h
	}
	var place func(z *threatmodel.Zone, x, y int)
	place = func(z *threatmodel.Zone, x, y int) {
		s := size[z.ID]
		l.zones[z.ID] = box{x, y, s[0], s[1]}
		cx, cy := x+layoutPad, y+layoutHeader+layoutPad
		members := m.Members(z.ID)
		for i, e := range members {
			w, h := nodeSize(e)
			col, row := i%layoutColumns, i/layoutColumns
			ex := cx + col*(layoutNodeW+layoutGap) + (layoutNodeW-w)/2
			ey := cy + row*(layoutNodeH+20+layoutGap) + (layoutNodeH+20-h)/2
			l.elements[e.ID] = box{ex, ey, w, h}
		}
		_, gh := grid(len(members))
		if gh > 0 {
			cy += gh + layoutGap
		}
		kids := children(z.ID)
		var sizes [][2]int
		for _, c := range kids {
			sizes = append(sizes, size[c.ID])
		}
		pos, _, _ := shelf(sizes, layoutMaxRow)
		for i, c := range kids {
			place(c, cx+pos[i][0], cy+pos[i][1])
		}
	}
	var tops []*threatmodel.Zone
	var sizes [][2]int
	for _, z := range children("") {
		tops = append(tops, z)
		w, h := measure(z)
		sizes = append(sizes, [2]int{w, h})
	}
	pos, w, h := shelf(sizes, 2*layoutMaxRow)
	for i, z := range tops {
		place(z, layoutGap+pos[i][0], layoutGap+pos[i][1])
	}
	l.W, l.H = w+2*layoutGap, h+2*layoutGap
	return l
}
