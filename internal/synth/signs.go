package synth

import "math"

// Sign probabilities of §7 (benign, malignant; design values).
var (
	// (band, fracture lines, puzzle and haematoma: Params.)
	pCleft    = [2]float64{0.15, 0.01}
	pSchmorl  = [2]float64{0.15, 0.10}
	pHemangio = [2]float64{0.10, 0.10}
	pMimic    = 0.05
	// Genant grade probabilities and morphology by class (§6).
	pGrade = [2][]float64{{0.25, 0.45, 0.30}, {0.35, 0.40, 0.25}}
	pMorph = [2][]float64{{0.50, 0.30, 0.20, 0}, {0.25, 0, 0.30, 0.45}}
	morphs = []string{morphWedge, morphBiconcave, morphCrush, morphAngled}
	// Cortical breach probability by lesion type (§7).
	pBreach = map[string]float64{lesionLytic: 0.6, lesionMixed: 0.5, lesionMyeloma: 0.3, lesionBlastic: 0.2}
)

// postWallY is the y of the posterior body wall at x (with its concavity).
func (m *model) postWallY(x float64) float64 {
	xa := x / m.a
	return -m.b + m.kappa*m.b*math.Max(0, 1-xa*xa)
}

// drawSigns draws the fracture (§6) and the signs of §7 from the "signs"
// stream. The grade, morphology, band, fracture-line, puzzle, cleft,
// haematoma, Schmorl and haemangioma probabilities are those of the image
// class look (imageClass); the mimic and the posterior-involvement signs
// follow the true class.
func drawSigns(pt *Patient, m *model, opt Options, look int) {
	r := newStream(opt.Seed, pt.Index, streamSigns)
	ci := look
	tr := &pt.Truth
	sg := &tr.Signs

	tr.Grade = r.cat(pGrade[ci]) + 1
	switch tr.Grade {
	case 1:
		m.hl = r.unif(0.20, 0.25)
	case 2:
		m.hl = r.unif(0.25, 0.40)
	default:
		m.hl = r.unif(0.40, 0.60)
	}
	m.morph = morphs[r.cat(pMorph[ci])]
	m.wedgeP = r.unif(1, 1.5)
	m.wedgeBot = r.bern(0.10)
	ang := r.unif(0, 2*math.Pi)
	m.angU = [2]float64{math.Cos(ang), math.Sin(ang)}
	if m.morph == morphAngled {
		m.irregular = randomField(r, 3, r.unif(1, 2)/math.Sqrt2, 12, true)
	}
	tr.HeightLoss, tr.Morphology = m.hl, m.morph
	hm := 0.5 * (m.hp + m.ha)

	// Sclerotic band beneath the superior endplate.
	if sg.Band = r.bern(opt.Params.PBand[ci]); sg.Band {
		m.bandDepth = r.unif(3, 8)
		m.bandHU = pick(look == 1, r.unif(60, 180), r.unif(80, 250))
		m.bandPert = randomField(r, 4, r.unif(1, 2)/2, 6, true)
	}
	// Fracture lines in cancellous bone.
	if sg.FractureLines = r.bern(opt.Params.PLines[ci]); sg.FractureLines {
		for k := r.irange(1, 3); k > 0; k-- {
			th := r.unif(-20, 20) * math.Pi / 180
			ph := r.unif(0, 2*math.Pi)
			n := [3]float64{math.Sin(th) * math.Cos(ph), math.Sin(th) * math.Sin(ph), math.Cos(th)}
			z0 := hm / 2 * (r.unif(-0.2, 0.5) - m.hl)
			hu := r.unif(150, 300)
			if r.bern(0.3) {
				hu = -r.unif(20, 40)
			}
			m.lines = append(m.lines, plane{n: n, d: n[2] * z0, th: r.unif(1, 1.5), hu: hu})
		}
	}
	// Puzzle sign: gaps in the anterior/lateral shell near the fractured endplate.
	if sg.Puzzle = r.bern(opt.Params.PPuzzle[ci]); sg.Puzzle {
		for k := r.irange(1, 3); k > 0; k-- {
			ph := r.unif(-100, 100) * math.Pi / 180
			dir := [2]float64{math.Sin(ph), math.Cos(ph)}
			m.gaps = append(m.gaps, gap{n: [2]float64{dir[1], -dir[0]}, dir: dir, width: r.unif(0.8, 1.5),
				zFromTop: r.unif(5, 10), step: r.unif(0.5, 1.5), fillHU: m.haemHU})
		}
	}
	// Intravertebral vacuum cleft, anterior half, 2–6 mm below the superior endplate.
	if sg.Cleft = r.bern(pCleft[ci]); sg.Cleft {
		e := &ellipsoid{semi: [3]float64{r.unif(6, 12), r.unif(4, 8), r.unif(0.8, 2)}}
		a := r.unif(0, math.Pi)
		e.cosA, e.sinA = math.Cos(a), math.Sin(a)
		x, y := r.unif(-0.3, 0.3)*m.a, r.unif(0.15, 0.45)*m.b
		col := m.columnAt(x, y)
		e.c = [3]float64{x, y, col.zt - r.unif(2, 6) - e.semi[2]}
		m.cleft = e
	}
	if sg.Haematoma = r.bern(opt.Params.PHaematoma[ci]); sg.Haematoma {
		m.haemTh = r.unif(2, 8)
	}
	if sg.Schmorl = r.bern(pSchmorl[ci]); sg.Schmorl {
		m.schmorl = &[4]float64{r.unif(-0.4, 0.4) * m.a, r.unif(-0.4, 0.4) * m.b, r.unif(2, 3.5), pick(r.bern(0.5), 1.0, -1.0)}
	}
	if sg.Haemangioma = r.bern(pHemangio[ci]); sg.Haemangioma {
		m.hemangioma = &hemangioma{
			c: [3]float64{r.unif(-0.4, 0.4) * m.a, r.unif(-0.4, 0.4) * m.b, r.unif(-0.25, 0.25) * hm},
			r: r.unif(3, 7.5), bgHU: r.unif(-30, 20), spacing: r.unif(3, 5), rodR: r.unif(0.75, 1.5),
			rodHU: r.unif(400, 700), offX: r.unif(0, 5), offY: r.unif(0, 5),
		}
	}
	if !pt.Malignant {
		if sg.Mimic = r.bern(pMimic); sg.Mimic {
			ph := pick(r.bern(0.5), 1.0, -1.0) * r.unif(30, 70) * math.Pi / 180
			dir := [2]float64{math.Sin(ph), math.Cos(ph)}
			m.gaps = append(m.gaps, gap{n: [2]float64{dir[1], -dir[0]}, dir: dir, width: r.unif(5, 10), fillHU: math.NaN()})
		}
	}

	// Posterior involvement (§7): PI = 1 is always visible, PI = 0 never.
	if !pt.PosteriorInvolvement {
		return
	}
	if !pt.Malignant {
		switch r.cat([]float64{0.55, 0.35, 0.10}) {
		case 0:
			sg.Retropulsion = true
		case 1:
			sg.PosteriorStep = true
		default:
			sg.Bulge = true
			m.bulge = r.unif(1, 2)
			m.bulgeHU = m.haemHU
		}
	} else {
		for !sg.Pedicle && !sg.Bulge && !sg.Epidural {
			sg.Pedicle, sg.Bulge, sg.Epidural = r.bern(0.70), r.bern(0.50), r.bern(0.40)
		}
		sg.Retropulsion = r.bern(0.05)
		if sg.Pedicle {
			if r.bern(0.7) {
				m.pedLesion[r.intn(2)] = true
			} else {
				m.pedLesion = [2]bool{true, true}
			}
		}
		if sg.Bulge {
			m.bulge = r.unif(2, 5)
		}
		if sg.Epidural {
			th := r.unif(3, 8)
			e := &ellipsoid{semi: [3]float64{r.unif(8, 14) / 2, th / 2, r.unif(15, 30) / 2}, cosA: 1}
			e.c = [3]float64{r.unif(-3, 3), m.postWallY(0) - th/2 + 0.5, r.unif(-3, 3)}
			m.epidural = e
			m.epiHU = r.unif(35, 55)
		}
	}
	if sg.Retropulsion {
		x0, sz, pr := r.unif(-6, 6), r.unif(5, 8), r.unif(2, 5)
		yw := m.postWallY(x0)
		m.retro = &[3][2]float64{{x0 - sz/2, x0 + sz/2}, {yw - pr, yw + sz/2}, {-sz, 0}}
	}
	if sg.PosteriorStep {
		x0 := r.unif(-8, 8)
		m.gaps = append(m.gaps, gap{n: [2]float64{1, 0}, dir: [2]float64{0, -1}, width: r.unif(0.8, 1.5),
			step: r.unif(1, 2), fillHU: m.haemHU, d0: x0})
	}
}

// drawLesions draws the intraosseous lesion model of §7.1 and the
// malignant extraosseous signs from the "lesion" stream r, whose first draw
// (conspicuity, drawModel) has been made.
func drawLesions(pt *Patient, m *model, opt Options, r *rng) {
	if !pt.Malignant {
		return
	}
	p := opt.Params
	a := pt.Aggressiveness
	tr := &pt.Truth
	var f float64
	if tr.Conspicuous {
		f = math.Min(0.7, r.unif(p.ConspFracLo, p.ConspFracHi)*math.Exp(0.25*a))
	} else {
		f = r.unif(p.SubtleFracLo, p.SubtleFracHi)
	}
	tr.LesionFraction = f
	hm := 0.5 * (m.hp + m.ha)
	vBody := superellipseArea(m.n) * m.a * m.b * hm
	lt := pt.LesionType
	var nf int
	if lt == lesionMyeloma {
		m.bg -= r.unif(20, 40)
		if m.bg < 15 {
			m.bg = 15
		}
		nf = r.irange(5, 20)
	} else {
		nf = r.irange(1, 3)
		if lt == lesionMixed && nf < 2 {
			nf = 2
		}
	}
	w := make([]float64, nf)
	ws := 0.0
	for k := range w {
		w[k] = r.unif(0.5, 1.5)
		ws += w[k]
	}
	firstBlastic := r.bern(0.5)
	for k := 0; k < nf; k++ {
		var fc focus
		vol := f * vBody * w[k] / ws
		rad := math.Cbrt(3 * vol / (4 * math.Pi))
		var semi [3]float64
		for ax := range semi {
			semi[ax] = rad * r.unif(0.8, 1.25)
		}
		ySign := pick(r.bern(0.5), 1.0, -1.0)
		if pt.PosteriorInvolvement {
			ySign = pick(r.bern(0.6), -1.0, 1.0)
		}
		fc.c = [3]float64{r.unif(-0.6, 0.6) * m.a, ySign * r.unif(0, 0.6) * m.b, r.unif(-0.3, 0.3) * hm}
		modAmp := r.unif(0.15, 0.30)
		fc.width = r.unif(1, 3)
		blastic := lt == lesionBlastic || (lt == lesionMixed && (k%2 == 0) == firstBlastic)
		switch {
		case lt == lesionMyeloma:
			rad = clamp(rad, 1.5, 6)
			for ax := range semi {
				semi[ax] = rad * r.unif(0.9, 1.1)
			}
			modAmp = 0.05
			fc.width = 0.5
			fc.hu = r.unif(20, 60)
			fc.texSD = 5
		case blastic:
			fc.hu = clamp(r.normal(550, 150), 300, 900)
			fc.texSD = r.unif(60, 120)
			fc.blastic = true
		default:
			mix := r.unif(0, p.LyticMixMax)
			fc.hu = (1-mix)*r.unif(p.LyticHULo, p.LyticHUHi) + mix*m.bg
			fc.texSD = r.unif(8, 12)
		}
		fc.inv = [3]float64{1 / semi[0], 1 / semi[1], 1 / semi[2]}
		fc.rMean = (semi[0] + semi[1] + semi[2]) / 3
		fc.mod = randomField(r, 3, modAmp/2, 0.6, false)
		m.foci = append(m.foci, fc)
	}
	sg := &tr.Signs
	// A subtle case with the benign phenotype has no cortical destruction
	// and no paravertebral mass: it looks benign apart from its small foci
	// (and its posterior-involvement signs, which the clinical table shares).
	overt := tr.Conspicuous || !p.SubtleBenignPhenotype
	sg.Breach = r.bern(pBreach[lt]) && overt
	m.breach = sg.Breach
	m.pedLesionHU = m.foci[0].hu
	if m.bulge > 0 {
		m.bulgeHU = m.foci[0].hu
	}
	if sg.ParaspinalMass = r.bern(pick(sg.Breach, 0.6, 0.35)) && overt; sg.ParaspinalMass {
		// Contiguous with the largest focus (or a random anterolateral site).
		ang := r.unif(-120, 120) * math.Pi / 180
		if sg.Breach {
			ang = math.Atan2(m.foci[0].c[0], m.foci[0].c[1])
		}
		e := &ellipsoid{semi: [3]float64{r.unif(8, 20), r.unif(6, 15), r.unif(10, 20)}}
		// Semi-axis 0 runs tangentially, 1 radially; the centre sits outside
		// the contour by half the radial semi-axis.
		ux, uy := math.Sin(ang), math.Cos(ang)
		rr := 1.0 / math.Pow(math.Pow(math.Abs(ux/m.a), m.n)+math.Pow(math.Abs(uy/m.b), m.n), 1/m.n)
		out := rr + 0.5*e.semi[1]
		e.c = [3]float64{ux * out, uy * out, m.foci[0].c[2]}
		e.cosA, e.sinA = uy, -ux
		m.mass = e
		m.massHU = r.unif(30, 55)
	}
}
