package synth

import (
	"fmt"
	"math"
)

// Level names and the §2 level distribution (both classes, design).
var (
	levelNames = []string{"T11", "T12", "L1", "L2", "L3", "L4"}
	levelProbs = []float64{0.10, 0.24, 0.28, 0.17, 0.12, 0.09}
)

// primaryInfo is one malignant primary of §2/§7.1/§10 (design values).
type primaryInfo struct {
	name     string
	prob     float64
	types    []float64 // P(lytic, mixed, blastic, myeloma)
	ca125Pos float64   // P(marker-positive) for CA125
	ceaPos   float64   // base P for CEA (multiplied by 0.4)
}

// Lesion types.
const (
	lesionLytic   = "lytic"
	lesionMixed   = "mixed"
	lesionBlastic = "blastic"
	lesionMyeloma = "myeloma"
)

var lesionTypes = []string{lesionLytic, lesionMixed, lesionBlastic, lesionMyeloma}

var primaries = []primaryInfo{
	{"lung", 0.35, []float64{0.75, 0.25, 0, 0}, 0.45, 0.40},
	{"gi_other", 0.22, []float64{0.75, 0.25, 0, 0}, 0.35, 0.45},
	{"myeloma", 0.20, []float64{0, 0, 0, 1}, 0.10, 0.02},
	{"breast", 0.15, []float64{0.40, 0.35, 0.25, 0}, 0.35, 0.30},
	{"prostate", 0.08, []float64{0, 0.20, 0.80, 0}, 0.10, 0.05},
}

// Patient is one synthetic case: its clinical row, its ground truth and
// (unexported) the drawn model that Render turns into images.
type Patient struct {
	ID     string // SYN001…
	Index  int    // 1-based
	Cohort string // "train" or "validation"
	CVFold int    // 1–5 on train rows, 0 on validation rows

	Malignant bool
	Level     string
	// Aggressiveness is the latent a ~ N(0,1) of malignant cases (0 if benign).
	Aggressiveness float64
	Primary        string // "" for benign cases
	LesionType     string // lytic, mixed, blastic, myeloma; "" for benign

	Age                  int
	Sex                  string // "F" or "M"
	PosteriorInvolvement bool
	CA125                float64 // U/mL, 1 dp
	CEA                  float64 // ng/mL, 2 dp
	ALP                  int     // U/L
	PainWeeks            int     // 0 = missing
	HistoryOfCancer      bool

	Truth Truth
	m     *model
}

// Truth is the drawn ground truth of a case (truth.csv). It is for QA and
// teaching only and must never be used as predictors.
type Truth struct {
	Grade          int     // Genant grade 1–3
	HeightLoss     float64 // drawn fractional height loss
	Morphology     string  // wedge, biconcave, crush, angled
	BackgroundHU   float64 // cancellous background B (after myeloma loss)
	NoiseSD        float64 // σ_n, HU
	FWHM           float64 // in-plane PSF FWHM, mm
	Conspicuous    bool
	LesionFraction float64 // drawn lesion volume fraction f (0 if benign)
	Signs          Signs
}

// Signs are the rendered signs of §7 (true = present).
type Signs struct {
	Band, FractureLines, Puzzle, Cleft, Retropulsion, PosteriorStep bool
	Haematoma, Schmorl, Haemangioma, Mimic, Breach, ParaspinalMass  bool
	Pedicle, Bulge, Epidural                                        bool
}

// Cohort is a drawn cohort: the options it was drawn with (defaults
// filled) and the patients in ID order. Images are rendered per case by
// Render, so a cohort of any size needs little memory.
type Cohort struct {
	Options  Options
	Patients []*Patient
}

// Generate draws the whole cohort of opt (§2): class and split by a seeded
// stratified shuffle, then every patient's clinical variables and image
// model from its own named random streams. It renders nothing.
func Generate(opt Options) (*Cohort, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	n := opt.N
	p := opt.Params
	nMal := int(math.Round(p.MalignantFraction * float64(n)))
	nTrain := int(math.Round(p.TrainFraction * float64(n)))
	trainMal := int(math.Round(float64(nMal) * float64(nTrain) / float64(n)))
	nBen := n - nMal
	trainBen := nTrain - trainMal
	if nMal < 2 || nBen < 2 || trainMal < 1 || trainBen < 1 || trainMal >= nMal || trainBen >= nBen {
		return nil, fmt.Errorf("synth: N = %d gives %d malignant (%d train) and %d benign (%d train): each class needs train and validation rows", n, nMal, trainMal, nBen, trainBen)
	}
	cr := newStream(opt.Seed, 0, streamCohort)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	cr.shuffle(perm)
	c := &Cohort{Options: opt, Patients: make([]*Patient, n)}
	for i := range c.Patients {
		c.Patients[i] = &Patient{ID: fmt.Sprintf("SYN%03d", i+1), Index: i + 1}
	}
	// The first nMal of the permutation are malignant; within each class the
	// first train-count (in permutation order) are train, and cv_fold is
	// assigned round-robin per class over those rows.
	var seenMal, seenBen, foldMal, foldBen int
	for r, idx := range perm {
		pt := c.Patients[idx]
		pt.Malignant = r < nMal
		var seen, limit *int
		var fold *int
		if pt.Malignant {
			seen, limit, fold = &seenMal, &trainMal, &foldMal
		} else {
			seen, limit, fold = &seenBen, &trainBen, &foldBen
		}
		if *seen < *limit {
			pt.Cohort = "train"
			pt.CVFold = *fold%5 + 1
			*fold++
		} else {
			pt.Cohort = "validation"
		}
		*seen++
	}
	for _, pt := range c.Patients {
		drawPatient(pt, opt)
	}
	return c, nil
}

// drawPatient performs the per-patient draws of §2 steps 1–6.
func drawPatient(pt *Patient, opt Options) {
	s, i, p := opt.Seed, pt.Index, opt.Params
	cl := newStream(s, i, streamClass)
	pt.Level = levelNames[cl.cat(levelProbs)]
	var prim primaryInfo
	if pt.Malignant {
		pt.Aggressiveness = cl.norm()
		w := make([]float64, len(primaries))
		for k, pr := range primaries {
			w[k] = pr.prob
		}
		prim = primaries[cl.cat(w)]
		pt.Primary = prim.name
		pt.LesionType = lesionTypes[cl.cat(prim.types)]
	}
	a := pt.Aggressiveness

	r := newStream(s, i, streamClinical)
	if pt.Malignant {
		pt.Age = int(math.Round(clamp(r.normal(62, 11), 30, 88)))
		pt.Sex = pick(r.bern(0.45), "F", "M")
		pt.PosteriorInvolvement = r.bern(logistic(p.PISlope * a))
	} else {
		pt.Age = int(math.Round(clamp(r.normal(64, 10), 40, 92)))
		pt.Sex = pick(r.bern(0.55), "F", "M")
		pt.PosteriorInvolvement = r.bern(p.PIBenign)
	}
	// CA125: lognormal; malignant marker-positive cases get a shift.
	var lc125, lcea, lalp float64
	if pt.Malignant {
		lc125 = math.Log(13) + 0.35*a + r.normal(0, 0.75)
		if r.bern(prim.ca125Pos) {
			lc125 += r.normal(p.CA125PosShift, 0.6)
		}
		lcea = math.Log(2.3) + 0.15*a + r.normal(0, 0.6)
		if r.bern(0.4 * prim.ceaPos) {
			lcea += r.normal(0.8, 0.5)
		}
		lalp = math.Log(82) + r.normal(0, 0.27)
		if pt.LesionType == lesionBlastic || pt.LesionType == lesionMixed {
			lalp += math.Log(r.unif(1.2, 1.6))
		}
	} else {
		lc125 = math.Log(12) + r.normal(0, 0.75)
		lcea = math.Log(2.2) + r.normal(0, 0.6)
		lalp = math.Log(80) + r.normal(0, 0.25)
	}
	pt.CA125 = math.Max(1.0, math.Round(math.Exp(lc125)*10)/10)
	pt.CEA = math.Max(0.01, math.Round(math.Exp(lcea)*100)/100)
	pt.ALP = int(math.Round(math.Exp(lalp)))
	scale := 3.0
	if pt.Malignant {
		scale = 3.4
	}
	pt.PainWeeks = max(1, int(math.Round(r.gamma(2, scale))))
	if r.bern(p.PainMissing) {
		pt.PainWeeks = 0
	}
	pt.HistoryOfCancer = r.bern(pick(pt.Malignant, 0.15, 0.07))

	pt.m = drawModel(pt, opt)
}

func pick[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}
