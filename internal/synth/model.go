package synth

import "math"

// Per-level anatomy means of §3.2 (mm, design): body width W, AP depth D,
// posterior height Hp, pedicle width × height, canal AP × width, spinous
// length, transverse-process length.
var levelDims = map[string][9]float64{
	"T11": {36, 28, 22, 7.5, 16, 16, 19, 30, 8},
	"T12": {39, 30, 24, 8.3, 16, 16, 20, 30, 10},
	"L1":  {42, 31, 25, 8, 15, 16, 22, 30, 18},
	"L2":  {44, 33, 26, 8.5, 14.5, 15.5, 23, 30, 22},
	"L3":  {46, 34, 27, 10, 14, 15, 24, 30, 25},
	"L4":  {48, 35, 27, 12, 13.5, 15, 25, 28, 22},
}

// Morphologies of §6.
const (
	morphWedge     = "wedge"
	morphBiconcave = "biconcave"
	morphCrush     = "crush"
	morphAngled    = "angled"
)

// wave is one term of a smooth random field: amp·cos(k·p + phase).
type wave struct {
	k     [3]float64
	phase float64
	amp   float64
}

func waveSum(ws []wave, x, y, z float64) float64 {
	s := 0.0
	for i := range ws {
		w := &ws[i]
		s += w.amp * math.Cos(float64(w.k[0]*x)+float64(w.k[1]*y)+float64(w.k[2]*z)+w.phase)
	}
	return s
}

// randomField returns n waves whose sum has standard deviation sd and
// wave-vector components ~ N(0, 1/corr) (a smooth field of correlation
// length ≈ corr mm); 2D fields have k[2] = 0.
func randomField(r *rng, n int, sd, corr float64, twoD bool) []wave {
	ws := make([]wave, n)
	amp := sd * math.Sqrt(2/float64(n))
	for i := range ws {
		ws[i].k = [3]float64{r.norm() / corr, r.norm() / corr, r.norm() / corr}
		if twoD {
			ws[i].k[2] = 0
		}
		ws[i].phase = r.unif(0, 2*math.Pi)
		ws[i].amp = amp
	}
	return ws
}

// focus is one intraosseous lesion focus, defined in undeformed coordinates.
type focus struct {
	c       [3]float64 // centre
	inv     [3]float64 // 1/semi-axes
	rMean   float64    // mean semi-axis (mm), converts unit-ellipsoid distance to mm
	mod     []wave     // margin modulation on the unit direction
	width   float64    // transition width (mm)
	hu      float64
	texSD   float64
	blastic bool // texture from the coarse octave
}

// gap is a planar gap in a shell (puzzle sign, posterior-wall fracture,
// pseudo-destruction mimic): points with |n·p| < width/2 and dir·p > 0
// lose their shell; with step > 0, the contour on the n·p > 0 side within
// 8 mm is moved by step mm.
type gap struct {
	n, dir   [2]float64
	width    float64
	zFromTop float64 // only within this distance below the superior endplate (0: full height)
	step     float64
	fillHU   float64 // NaN: filled with the local cancellous value
	d0       float64 // plane offset: the plane is n·(x, y) = d0
}

// plane is a fracture line: a slab |n·(p − p0)| < th/2 adding hu.
type plane struct {
	n  [3]float64
	d  float64
	th float64
	hu float64
}

// ellipsoid is an oriented ellipsoid (rotation about z by angle).
type ellipsoid struct {
	c          [3]float64
	semi       [3]float64
	cosA, sinA float64
}

// sdf returns an approximate signed distance (mm).
func (e *ellipsoid) sdf(x, y, z float64) float64 {
	dx, dy, dz := x-e.c[0], y-e.c[1], z-e.c[2]
	u := e.cosA*dx + e.sinA*dy
	v := -e.sinA*dx + e.cosA*dy
	u, v, w := u/e.semi[0], v/e.semi[1], dz/e.semi[2]
	q := math.Sqrt(u*u + v*v + w*w)
	m := math.Min(e.semi[0], math.Min(e.semi[1], e.semi[2]))
	return (q - 1) * m
}

// model is everything drawn for one case's image.
type model struct {
	// Vertebral body (§3.1), mm.
	a, b, hp, ha, n, kappa, omega, e float64
	tAnt, tPost, tEnd                float64
	// Fracture (§6).
	morph     string
	hl        float64
	wedgeP    float64
	wedgeBot  bool
	angU      [2]float64
	irregular []wave
	// Posterior elements and canal (§3.3).
	pedW, pedH, pedLen, pedConv, peCortex float64
	canalAP, canalW, lamTh                float64
	spW, spH, spLen, spIncl               float64
	tpLen, tpDiam                         float64
	discUp, discLo                        float64
	psoas                                 bool
	psoasA, psoasB, aortaR                float64
	// Tissue HU (§4).
	fat, muscle, csf, cord, blood, disc, cortex, peOffset float64
	bg, texSD                                             float64
	// Signs (§7).
	bandDepth, bandHU float64
	bandPert          []wave
	lines             []plane
	gaps              []gap
	cleft             *ellipsoid
	retro             *[3][2]float64 // box bounds (x, y, z) in deformed coordinates, z relative to the superior endplate
	haemTh            float64
	haemHU            float64
	schmorl           *[4]float64 // x, y, radius, +1 top / −1 bottom
	hemangioma        *hemangioma
	foci              []focus
	breach            bool
	mass              *ellipsoid
	massHU            float64
	pedLesion         [2]bool
	pedLesionHU       float64
	bulge             float64
	bulgeHU           float64
	epidural          *ellipsoid
	epiHU             float64
	// Acquisition (§8).
	fwhm, sigmaN float64
	// Reader 2 (§9).
	r2Field  []wave
	r2Offset float64
}

// superellipseArea is the area factor of |x/a|^n + |y/b|^n ≤ 1:
// area = factor·a·b, factor = 4Γ(1+1/n)²/Γ(1+2/n).
func superellipseArea(n float64) float64 {
	g1 := math.Gamma(1 + 1/n)
	return 4 * g1 * g1 / math.Gamma(1+2/n)
}

// drawModel draws the image model of a patient (§3–§8).
func drawModel(pt *Patient, opt Options) *model {
	s, i, p := opt.Seed, pt.Index, opt.Params
	m := &model{}
	mal := pt.Malignant
	// Conspicuity (§7.1) is the first draw of the lesion stream; it also
	// selects the image phenotype (see Params.SubtleBenignPhenotype).
	var lr *rng
	if mal {
		lr = newStream(s, i, streamLesion)
		pt.Truth.Conspicuous = lr.bern(p.PConsp + 0.1*pt.Aggressiveness)
	}
	look := imageClass(pt, p)

	// Geometry.
	g := newStream(s, i, streamGeometry)
	dims := levelDims[pt.Level]
	size := g.normal(1, 0.05) * pick(pt.Sex == "M", 1.04, 0.96)
	dim := func(k int) float64 { return dims[k] * size * clamp(g.normal(1, 0.06), 0.8, 1.2) }
	m.a, m.b, m.hp = dim(0)/2, dim(1)/2, dim(2)
	m.pedW, m.pedH = dim(3), dim(4)
	m.canalAP, m.canalW = dim(5), dim(6)
	m.spLen, m.tpLen = dim(7), dim(8)
	m.n = g.unif(2.3, 2.8)
	m.kappa = g.unif(0.04, 0.10)
	m.omega = g.unif(0.03, 0.07)
	m.e = g.unif(0.8, 2.0)
	thoracolumbar := pt.Level == "T11" || pt.Level == "T12" || pt.Level == "L1"
	if thoracolumbar {
		m.ha = m.hp * clamp(g.normal(0.91, 0.05), 0.75, 1.1)
	} else {
		m.ha = m.hp * clamp(g.normal(1.05, 0.05), 0.9, 1.2)
	}
	m.tAnt, m.tPost = g.unif(0.35, 0.55), g.unif(0.25, 0.40)
	if look == 0 {
		m.tAnt *= p.BenignCortexScale
		m.tPost *= p.BenignCortexScale
	}
	m.tEnd = 0.5 * (m.tAnt + m.tPost)
	m.pedLen = g.unif(10, 15)
	m.pedConv = g.unif(5, 12) * math.Pi / 180
	m.peCortex = g.unif(1.0, 1.5)
	m.lamTh = g.unif(5, 8)
	m.spW = g.unif(6, 8)
	if pt.Level == "T11" || pt.Level == "T12" {
		m.spH = g.unif(8, 12)
	} else {
		m.spH = g.unif(15, 25)
	}
	m.spIncl = g.unif(10, 30) * math.Pi / 180
	m.tpDiam = g.unif(7, 10)
	m.discUp, m.discLo = g.unif(6, 10), g.unif(6, 10)
	li := map[string]int{"L1": 0, "L2": 1, "L3": 2, "L4": 3}
	if k, ok := li[pt.Level]; ok {
		m.psoas = true
		f := float64(k) / 3
		m.psoasA = (15 + 15*f) / 2 * clamp(g.normal(1, 0.1), 0.7, 1.3)
		m.psoasB = (15 + 10*f) / 2 * clamp(g.normal(1, 0.1), 0.7, 1.3)
	}
	m.aortaR = g.unif(9, 12.5)

	// Tissue HU and acquisition.
	t := newStream(s, i, streamTissue)
	m.fat = clamp(t.normal(-100, 8), -120, -80)
	m.muscle = pick(pt.Sex == "F", t.normal(38, 6), t.normal(46, 6)) - 0.15*float64(pt.Age-40)
	m.csf = t.unif(5, 15)
	m.cord = t.unif(30, 40)
	m.blood = t.unif(35, 50)
	m.disc = t.unif(60, 90)
	m.cortex = t.unif(1600, 2000)
	m.peOffset = t.unif(20, 60)
	off := pick(look == 1, p.OffsetMalignant, p.OffsetBenign)
	m.bg = clamp(230-2.3*float64(pt.Age-25)+off+t.normal(0, 28), 15, 260)
	m.fwhm = t.unif(0.7, 1.1)
	m.sigmaN = t.unif(p.NoiseSDLo, p.NoiseSDHi) * math.Sqrt(1/p.Spacing[2])
	if p.BoneKernel {
		m.fwhm = 0.6
		m.sigmaN *= 3
	}
	m.haemHU = t.unif(45, 65)

	drawSigns(pt, m, opt, look)
	drawLesions(pt, m, opt, lr)
	m.texSD = p.TextureSDBase + p.TextureSDSlope*math.Max(0, 150-m.bg)

	r2 := newStream(s, i, streamReader2)
	m.r2Field = randomField(r2, 8, r2.unif(0.4, 0.9), 8, false)
	m.r2Offset = r2.unif(-0.3, 0.3) * p.Spacing[0]

	pt.Truth.BackgroundHU = m.bg
	pt.Truth.NoiseSD = m.sigmaN
	pt.Truth.FWHM = m.fwhm
	return m
}

// imageClass returns the class whose image phenotype a case follows (0
// benign, 1 malignant): a subtle malignant case follows the benign one when
// p.SubtleBenignPhenotype is set.
func imageClass(pt *Patient, p Params) int {
	if !pt.Malignant || (p.SubtleBenignPhenotype && !pt.Truth.Conspicuous) {
		return 0
	}
	return 1
}

// hemangioma is an incidental vertebral haemangioma (undeformed coordinates).
type hemangioma struct {
	c                      [3]float64
	r, bgHU, spacing, rodR float64
	rodHU, offX, offY      float64
}
