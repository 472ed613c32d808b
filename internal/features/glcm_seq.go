package features

import "math"

// glcmMatrixFeaturesSeq is glcmMatrixFeatures, with the same results bit for
// bit, for a stack of several matrices, where NumPy sums every term array in
// plain row-major order (reduceNP without pairwise summation). Each sum is
// then accumulated on the fly in one pass over the matrix, in the same
// order; terms of empty cells, all ±0, are skipped (a running sum that
// starts at +0 is never -0, so adding ±0 leaves it unchanged). The powers of
// i + j - ux - uy, which depend on i + j only, come from tables over i + j;
// log2(px(i)py(j) + eps) of a symmetric matrix (px = py bit for bit) is
// computed once for (i, j) and (j, i), and log2(p + eps) of the many cells
// holding the same value (small counts) is looked up in a memo. Every
// product added to a sum is wrapped in float64(), as the stored terms of the
// array form are, so that no build fuses it into the addition.
func glcmMatrixFeaturesSeq(p []float64, set *glcmSet, sc *glcmScratch, per [][]float64, a int) {
	n, ng := set.n, set.ng
	lv := set.levels
	p = p[:n*n]
	px, py := sc.px[:n], sc.py[:n]

	// Marginals and means: px(i) row sums, py(j) column sums, ux, uy (each
	// in row-major order).
	var ux, uy float64
	clear(py)
	for i := 0; i < n; i++ {
		li, row := lv[i], p[i*n:(i+1)*n]
		s := 0.0
		for j, v := range row {
			s += v
			py[j] += v
			ux += float64(li * v)
			uy += float64(lv[j] * v)
		}
		px[i] = s
	}
	symMarg := true
	for i := range px {
		if px[i] != py[i] {
			symMarg = false
			break
		}
	}

	// Tables over k = i + j (levels 2..2ng) of d = i + j - ux - uy.
	t2, t3, t4 := sc.t2[:2*ng+1], sc.t3[:2*ng+1], sc.t4[:2*ng+1]
	for k := 2; k <= 2*ng; k++ {
		d := float64(k) - ux - uy
		t2[k], t3[k], t4[k] = d*d, cubeNP(d), pow4NP(d)
	}
	// Per column: lj - uy and its square.
	dy, dy2 := sc.dy[:n], sc.dy2[:n]
	for j := range dy {
		d := lv[j] - uy
		dy[j], dy2[j] = d, d*d
	}

	pxAddy, pxSuby := sc.pxAddy[:2*ng-1], sc.pxSuby[:ng]
	clear(pxAddy)
	clear(pxSuby)
	var hxy, ac, cp, cs, ct, con, ssx, ssy, corm, en, hxy1, hxy2 float64
	mp := p[0] // np.amax: NaN propagates
	lbuf := sc.terms2[:n*n]
	for i := 0; i < n; i++ {
		li, row := lv[i], p[i*n:(i+1)*n]
		ii := int(li)
		di := li - ux
		d2x := di * di
		pxi := px[i]
		for j, v := range row {
			var l float64
			if symMarg && j < i {
				l = lbuf[j*n+i]
			} else {
				q := pxi * py[j]
				l = log2NP(q + Eps)
				lbuf[i*n+j] = l
				hxy2 += float64(q * l)
			}
			if symMarg && j < i {
				hxy2 += float64(float64(pxi*py[j]) * l)
			}
			if v == 0 {
				continue
			}
			if math.IsNaN(v) {
				mp = v
			} else if v > mp && !math.IsNaN(mp) {
				mp = v
			}
			lj := lv[j]
			k := ii + int(lj)
			hxy += float64(v * sc.logs.log2Eps(v))
			ac += float64(v * float64(li*lj))
			cp += float64(v * t4[k])
			cs += float64(v * t3[k])
			ct += float64(v * t2[k])
			dc := li - lj
			con += float64(v * float64(dc*dc))
			ssx += float64(v * d2x)
			ssy += float64(v * dy2[j])
			corm += float64(float64(v*di) * dy[j])
			en += float64(v * v)
			hxy1 += float64(v * l)
			pxAddy[k-2] += v
			if dk := ii - int(lj); dk >= 0 {
				pxSuby[dk] += v
			} else {
				pxSuby[-dk] += v
			}
		}
	}
	hxy = -1 * hxy
	per[cmAutocorrelation][a] = ac
	per[cmClusterProminence][a] = cp
	per[cmClusterShade][a] = cs
	per[cmClusterTendency][a] = ct
	per[cmContrast][a] = con
	sigxy := math.Sqrt(ssx) * math.Sqrt(ssy)
	if sigxy == 0 {
		per[cmCorrelation][a] = 1
	} else {
		per[cmCorrelation][a] = corm / (sigxy + Eps)
	}
	per[cmSumSquares][a] = ssx
	per[cmJointEnergy][a] = en
	per[cmJointEntropy][a] = hxy
	per[cmJointAverage][a] = ux
	per[cmMaximumProbability][a] = mp

	// Information measures of correlation.
	var hx, hy float64
	for i := 0; i < n; i++ {
		hx += float64(px[i] * log2NP(px[i]+Eps))
	}
	if symMarg {
		hy = hx
	} else {
		for i := 0; i < n; i++ {
			hy += float64(py[i] * log2NP(py[i]+Eps))
		}
	}
	hx, hy = -1*hx, -1*hy
	hxy1, hxy2 = -1*hxy1, -1*hxy2
	per[cmImc1][a], per[cmImc2][a] = glcmIMC(hx, hy, hxy, hxy1, hxy2)

	// Features of p_{x-y} (k = 0..Ng-1) and p_{x+y} (k = 2..2Ng).
	var da, de, idm, idmn, id, idn, iv float64
	ngf := float64(ng)
	ng2 := float64(ng * ng)
	for k, v := range pxSuby {
		kf := float64(k)
		da += float64(kf * v)
		de += float64(v * log2NP(v+Eps))
		idm += v / (1 + kf*kf)
		idmn += v / (1 + (kf*kf)/ng2)
		id += v / (1 + kf)
		idn += v / (1 + kf/ngf)
		if k >= 1 {
			iv += v / (kf * kf)
		}
	}
	dv := 0.0
	for k, v := range pxSuby {
		d := float64(k) - da
		dv += float64(v * float64(d*d))
	}
	per[cmDifferenceAverage][a] = da
	per[cmDifferenceEntropy][a] = -1 * de
	per[cmDifferenceVariance][a] = dv
	per[cmIdm][a] = idm
	per[cmIdmn][a] = idmn
	per[cmId][a] = id
	per[cmIdn][a] = idn
	per[cmInverseVariance][a] = iv
	var sa, se float64
	for k, v := range pxAddy {
		sa += float64(float64(k+2) * v)
		se += float64(v * log2NP(v+Eps))
	}
	per[cmSumAverage][a] = sa
	per[cmSumEntropy][a] = -1 * se
}

// log2Memo is a direct-mapped memo of log2NP(v + Eps) keyed by the bits of
// v: a hit returns the value computed before for the same v, so results are
// unchanged.
type log2Memo struct {
	key [256]uint64
	val [256]float64
}

// log2MemoEmpty marks an unused memo slot: the bits of a NaN (log2Eps
// never stores nor looks up NaN arguments).
const log2MemoEmpty = 0x7ff8dead0000beef

// reset empties the memo.
func (m *log2Memo) reset() {
	for i := range m.key {
		m.key[i] = log2MemoEmpty
	}
}

// log2Eps returns log2NP(v + Eps), from the memo when v was seen before.
func (m *log2Memo) log2Eps(v float64) float64 {
	b := math.Float64bits(v)
	h := (b * 0x9e3779b97f4a7c15) >> 56
	if m.key[h] == b && v == v {
		return m.val[h]
	}
	l := log2NP(v + Eps)
	if v == v {
		m.key[h], m.val[h] = b, l
	}
	return l
}
