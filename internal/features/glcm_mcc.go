package features

import (
	"math"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// MCC (maximal correlation coefficient) of the GLCM.
//
// PyRadiomics forms, per matrix, Q(i,j) = sum_k p(i,k) p(j,k) / (px(i) py(k) + eps)
// and takes the eigenvalues of this non-symmetric matrix with numpy.linalg.eigvals
// (LAPACK dgeev). With a = px, b = py and t(i,k) = a(i) b(k), Q is similar
// (T = diag(sqrt a) Q diag(1/sqrt a), rows with a(i) = 0 being zero in both) to
//
//	T(i,j) = sum_k Y(i,k) Y(j,k) rho(i,j,k),  Y(i,k) = p(i,k) / sqrt(t(i,k) + eps),
//	rho(i,j,k) = sqrt((1 + d(j,k)) / (1 + d(i,k))),  d(i,k) = eps / t(i,k),
//
// so T = S + H + K with the symmetric positive semi-definite Gram matrix
// S = Y Yᵀ, the symmetric H(i,j) = 1/2 sum_k Y Y (rho-1)²/rho (second order in
// d) and the skew-symmetric K(i,j) = 1/2 sum_k Y Y (rho - 1/rho) (first order).
// Without eps, T = S exactly; with it, the eigenvalues of S are those of Q up to
// |H| + |K|²/gap, because a skew perturbation has no first-order effect on the
// eigenvalue of a symmetric matrix. Since Y >= 0, |rho - 1/rho| <= d(i,k) + d(j,k)
// and (rho-1)²/rho <= (d(i,k) + d(j,k))²/4, the spectral norms of K and H are
// bounded by the largest row sums of the dominating non-negative matrices,
// which cost O(n²). Nothing here needs P = Pᵀ, so asymmetric GLCMs qualify
// too. glcmMCC uses the symmetric solver (dsytrd on S, formed as dsyrk does by
// mccGram, then bisection for the four eigenvalues it reads, see eigenEnds;
// about 5 times cheaper than dgeev; its dsymv runs in the
// bit-identical mccBLAS) for each matrix whose second eigenvalue that
// bound, or the sharper one of refinedErr (|K v|²/gap for the eigenvector v,
// found by inverse iteration), certifies to mccRelTol and which is clear of
// rounding noise, and PyRadiomics' general path (dgeev on Q) for the others
// (near-degenerate second eigenvalues, e.g. a level whose only neighbour is
// itself). If one of those gives a negative real second eigenvalue, whose
// NaN-versus-0 outcome depends on whether any matrix of the stack has a
// complex eigenvalue, the whole stack is redone on the general path.

// mccRelTol is the relative error of the second eigenvalue that the symmetric
// path must certify (MCC, its square root, then agrees to half of it). The
// bound kappa²/gap is pessimistic (kappa is dominated by the rows of rare
// levels); when it fails, refinedErr tries the sharper |K v|²/gap before the
// matrix goes to the general path, which costs about 8 times more.
const mccRelTol = 1e-10

// mccNoiseTol bounds the relative size of the floating-point noise
// n*eps*||S|| against the second eigenvalue for the symmetric path: smaller
// eigenvalues are noise-dominated in every implementation, and are left to
// the general path so that its NaN-versus-value behaviour is kept.
const mccNoiseTol = 1e-10

// mccScratch holds the work buffers of glcmMCC for n levels.
type mccScratch struct {
	n                int
	y, d, s          []float64 // n*n: Y (or M on the general path), d(i,k), S (upper triangle)
	w, u, w1, w2     []float64 // n: eigenvalues, column sums of Y, Y*d, Y*d²
	work             []float64 // dsyev workspace
	q, wr, wi, gwork []float64 // general path
	ev               []complex128
	lu, v, z, zd     []float64 // refinedErr: LU of S - l2 I, eigenvector, Yᵀv and Yᵀ|v|, (Y∘d)ᵀv and (Y∘d)ᵀ|v|
	ipiv             []int
	s0               []float64 // n*n: S (upper triangle) as mccGram formed it, kept for refinedErr
	td, te2          []float64 // n: eigenEnds' tridiagonal (diagonal, squared off-diagonal)
	gram             gramScratch
}

func newMCCScratch(n int) *mccScratch {
	ms := &mccScratch{
		n: n,
		y: make([]float64, n*n), d: make([]float64, n*n), s: make([]float64, n*n), s0: make([]float64, n*n),
		w: make([]float64, n), u: make([]float64, n), w1: make([]float64, n), w2: make([]float64, n),
		td: make([]float64, n), te2: make([]float64, n),
	}
	lw := []float64{0}
	lapack64.Syev(lapack.EVNone, blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: ms.s}, ms.w, lw, -1)
	ms.work = make([]float64, max(int(lw[0]), 3*n))
	return ms
}

// glcmMCC computes PyRadiomics' MCC over the matrices of set: per matrix the
// square root of the second largest eigenvalue of Q, then the nanmean over
// matrices. The stack is real when every eigenvalue of every matrix is real
// (then a negative second eigenvalue gives NaN, dropped by the nanmean), else
// complex (principal square root, real part of the complex nanmean). A NaN
// matrix gives NaN (NumPy raises LinAlgError); a single grey level gives 1.
// Matrices go through the certified symmetric path when possible (see above).
func glcmMCC(set *glcmSet, sc *glcmScratch) float64 {
	n, na := set.n, len(set.mats)
	for _, p := range set.mats {
		for _, v := range p {
			if math.IsNaN(v) {
				return math.NaN()
			}
		}
	}
	if n < 2 {
		return 1
	}
	if na == 0 {
		return math.NaN()
	}
	ms := newMCCScratch(n)
	second := make([]complex128, na)
	realMode, full := true, false
	for a, p := range set.mats {
		glcmMarginals(p, n, na == 1, sc.px, sc.py)
		if l2, ok := mccSecondEigenSym(p, n, sc.px, sc.py, ms); ok {
			second[a] = complex(l2, 0)
			continue
		}
		z, isReal, ok := ms.geevSecond(p, n, sc.px, sc.py)
		if !ok {
			return math.NaN() // eigvals did not converge: LinAlgError
		}
		second[a] = z
		realMode = realMode && isReal
		if imag(z) == 0 && real(z) < 0 {
			full = true
		}
	}
	if full {
		realMode = true
		for a, p := range set.mats {
			glcmMarginals(p, n, na == 1, sc.px, sc.py)
			z, isReal, ok := ms.geevSecond(p, n, sc.px, sc.py)
			if !ok {
				return math.NaN()
			}
			second[a] = z
			realMode = realMode && isReal
		}
	}
	vals := make([]float64, na)
	if realMode {
		for a, z := range second {
			vals[a] = math.Sqrt(real(z)) // NaN for a negative value
		}
		return nanMeanNP(vals)
	}
	cnt := 0
	for a, z := range second {
		r := cmplx.Sqrt(z)
		if cmplx.IsNaN(r) {
			continue
		}
		vals[a] = real(r)
		cnt++
	}
	if cnt == 0 {
		return math.NaN()
	}
	return complexRealPairwiseSumNP(vals) / float64(cnt)
}

// mccSecondEigenSym returns the second largest eigenvalue of PyRadiomics' Q
// for the n*n matrix p with marginals px, py, computed as the eigenvalue of
// the Gram matrix S = Y Yᵀ (dsyrk, dsyev), and whether the eps bound
// certifies it to mccRelTol (and it is clear of the rounding noise).
func mccSecondEigenSym(p []float64, n int, px, py []float64, ms *mccScratch) (float64, bool) {
	kappa, eta, tau, ok := mccSym(p, n, px, py, ms)
	if !ok {
		return 0, false
	}
	l2 := ms.w[n-2]
	if !(l2 > 0 && tau <= mccNoiseTol*l2) {
		return 0, false
	}
	err := mccEigenErr(ms.w[:n], n-2, kappa, eta, tau)
	if err <= mccRelTol*l2 {
		return l2, true
	}
	if !math.IsInf(err, 1) && ms.refinedErr(n, l2, kappa, eta, tau) <= mccRelTol*l2 {
		return l2, true
	}
	return 0, false
}

// refinedErr is the bound of mccEigenErr with kappa² replaced by beta², beta
// a bound of |K v| for the unit eigenvector v of S + H for its second
// largest eigenvalue (only the component of K v orthogonal to v, which K's
// skewness makes all of it, moves the eigenvalue: Schur complement on v).
// beta is much smaller than kappa when the rows of rare levels, which
// dominate kappa, carry little of v. With ṽ the eigenvector of S computed by
// inverse iteration at the computed eigenvalue l2 (LU of S - l2 I), r its
// residual |S ṽ - rho ṽ| at its Rayleigh quotient rho and delta the distance
// of rho to the other eigenvalues, the angle phi between ṽ and v has
// sin(phi) <= (r + 4 tau + eta) / (delta - eta) (Davis-Kahan, for S then for
// the perturbation H), so |K v| <= |K ṽ| + kappa sqrt(2) sin(phi), with
// |K ṽ| bounded by its first-order part, evaluated with signs (below), plus
// 2 eta. It returns +Inf when the bound does not apply. Y and d must still
// be in ms (mccSym).
func (ms *mccScratch) refinedErr(n int, l2, kappa, eta, tau float64) float64 {
	w := ms.w[:n]
	gap := w[n-1] - w[n-2]
	if n > 2 {
		gap = min(gap, w[n-2]-w[n-3])
	}
	g := gap - 2*(eta+4*tau) - 2*kappa
	if !(g > 0) {
		return math.Inf(1)
	}
	if ms.lu == nil {
		ms.lu = make([]float64, n*n)
		ms.ipiv = make([]int, n)
		ms.v = make([]float64, n)
		ms.z = make([]float64, 2*n)
		ms.zd = make([]float64, 2*n)
	}
	y, d, v := ms.y[:n*n], ms.d[:n*n], ms.v[:n]
	// S - l2 I, full storage, and its LU factors.
	lu := blas64.General{Rows: n, Cols: n, Stride: n, Data: ms.lu[:n*n]}
	copy(lu.Data, ms.s0[:n*n]) // S, formed by mccSym
	for i := 0; i < n; i++ {
		lu.Data[i*n+i] -= l2
		for j := i + 1; j < n; j++ {
			lu.Data[j*n+i] = lu.Data[i*n+j]
		}
	}
	if !lapack64.Getrf(lu, ms.ipiv) {
		return math.Inf(1)
	}
	for i := range v {
		v[i] = 1 / math.Sqrt(float64(n)) * (1 + float64(i%7)/8)
	}
	for it := 0; it < 3; it++ {
		lapack64.Getrs(blas.NoTrans, lu, blas64.General{Rows: n, Cols: 1, Stride: 1, Data: v}, ms.ipiv)
		nrm := 0.0
		for _, x := range v {
			nrm = math.Hypot(nrm, x)
		}
		if !(nrm > 0) || math.IsInf(nrm, 0) {
			return math.Inf(1)
		}
		for i := range v {
			v[i] /= nrm
		}
	}
	// z = Yᵀ ṽ, S ṽ = Y z; rho and the residual.
	z, zd := ms.z[:n], ms.zd[:n]
	clear(z)
	for i := 0; i < n; i++ {
		vi := v[i]
		for k, yv := range y[i*n : (i+1)*n] {
			z[k] += yv * vi
		}
	}
	rho := 0.0
	for _, x := range z {
		rho += x * x
	}
	r := 0.0
	for i := 0; i < n; i++ {
		sv := 0.0
		for k, yv := range y[i*n : (i+1)*n] {
			sv += yv * z[k]
		}
		r = math.Hypot(r, sv-rho*v[i])
	}
	delta := gap - math.Abs(rho-l2) - 2*(eta+4*tau)
	if !(delta > 2*eta) {
		return math.Inf(1)
	}
	sinPhi := (r + 4*tau + eta) / (delta - eta)
	if !(sinPhi < 1) {
		return math.Inf(1)
	}
	// K ṽ = K1 ṽ + R ṽ: since rho - 1/rho = (d(j,k) - d(i,k)) / sqrt((1 +
	// d(i,k))(1 + d(j,k))), the first-order part is K1(i,j) = 1/2 sum_k
	// Y(i,k) Y(j,k) (d(j,k) - d(i,k)) (evaluated with its signs, as
	// K1 ṽ = 1/2 (Y (Y∘d)ᵀ ṽ - (Y∘d) Yᵀ ṽ)) and |R(i,j)| <= 1/4 sum_k Y Y
	// (d(i,k) + d(j,k))², whose row sums are twice those of eta. The
	// rounding of K1 ṽ is bounded through Kbar |ṽ|, Kbar(i,j) = 1/2 sum_k
	// Y(i,k) Y(j,k) (d(i,k) + d(j,k)).
	za, zda := ms.z[n:2*n], ms.zd[n:2*n]
	clear(zd)
	clear(za)
	clear(zda)
	for j := 0; j < n; j++ {
		vj := v[j]
		aj := math.Abs(vj)
		yr, dr := y[j*n:(j+1)*n], d[j*n:(j+1)*n]
		for k, yv := range yr {
			yd := yv * dr[k]
			zd[k] += yd * vj
			za[k] += yv * aj
			zda[k] += yd * aj
		}
	}
	k1, kb := 0.0, 0.0
	for i := 0; i < n; i++ {
		yr, dr := y[i*n:(i+1)*n], d[i*n:(i+1)*n]
		s1, sb := 0.0, 0.0
		for k, yv := range yr {
			s1 += yv * (zd[k] - dr[k]*z[k])
			sb += yv * (dr[k]*za[k] + zda[k])
		}
		k1 = math.Hypot(k1, s1/2)
		kb = math.Hypot(kb, sb/2)
	}
	beta := k1 + float64(4*n+16)*Eps*kb + 2*eta + kappa*math.Sqrt2*sinPhi
	// The Schur-complement step needs the shift beta²/g within kappa (the
	// margin that g keeps for it), as kappa²/g is in mccEigenErr.
	if rho := beta * beta / g; rho <= kappa {
		return eta + rho
	}
	return math.Inf(1)
}

// mccSym computes into ms.w the eigenvalues (ascending) of S = Y Yᵀ for the
// n*n matrix p with marginals px, py, and returns the row-sum bounds kappa of
// |K| and eta of |H| and the rounding scale tau = n eps ||S|| (see above);
// false when some p(i,k) > 0 has px(i)py(k) <= 0 or dsyev fails.
func mccSym(p []float64, n int, px, py []float64, ms *mccScratch) (kappa, eta, tau float64, ok bool) {
	y, d, u, w1, w2 := ms.y[:n*n], ms.d[:n*n], ms.u[:n], ms.w1[:n], ms.w2[:n]
	clear(u)
	clear(w1)
	clear(w2)
	for i := 0; i < n; i++ {
		row, yr, dr := p[i*n:(i+1)*n], y[i*n:(i+1)*n], d[i*n:(i+1)*n]
		a := px[i]
		for k, v := range row {
			if v == 0 {
				yr[k], dr[k] = 0, 0
				continue
			}
			t := a * py[k]
			if !(t > 0) {
				return 0, 0, 0, false
			}
			yv := v / math.Sqrt(t+Eps)
			dv := Eps / t
			yr[k], dr[k] = yv, dv
			u[k] += yv
			w1[k] += yv * dv
			w2[k] += yv * dv * dv
		}
	}
	// Row-sum bounds of the spectral norms of K and H.
	for i := 0; i < n; i++ {
		yr, dr := y[i*n:(i+1)*n], d[i*n:(i+1)*n]
		rk, rh := 0.0, 0.0
		for k, yv := range yr {
			if yv == 0 {
				continue
			}
			dv := dr[k]
			rk += yv * (dv*u[k] + w1[k])
			rh += yv * (dv*dv*u[k] + 2*dv*w1[k] + w2[k])
		}
		kappa = max(kappa, rk/2)
		eta = max(eta, rh/8)
	}
	sym := blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: ms.s[:n*n]}
	mccGram(y, n, sym.Data, &ms.gram) // dsyrk, bit for bit
	copy(ms.s0[:n*n], sym.Data)
	w := ms.w[:n]
	if !ms.eigenEnds(sym, w) {
		return 0, 0, 0, false
	}
	tau = float64(n) * Eps * max(math.Abs(w[0]), math.Abs(w[n-1]))
	return kappa, eta, tau, true
}

// sturmCounts4 returns, for each of the four shifts x, the number of
// eigenvalues <= x of the symmetric tridiagonal matrix with diagonal d and
// squared off-diagonal e2 (LAPACK dlaebz's count: pivots smaller than pivmin
// in magnitude are replaced by -pivmin), the four recurrences interleaved.
func sturmCounts4(d, e2 []float64, x *[4]float64, pivmin float64) (c [4]int) {
	q0, q1, q2, q3 := d[0]-x[0], d[0]-x[1], d[0]-x[2], d[0]-x[3]
	for i := 0; ; i++ {
		if math.Abs(q0) < pivmin {
			q0 = -pivmin
		}
		if math.Abs(q1) < pivmin {
			q1 = -pivmin
		}
		if math.Abs(q2) < pivmin {
			q2 = -pivmin
		}
		if math.Abs(q3) < pivmin {
			q3 = -pivmin
		}
		c[0] += int(b2u64(q0 <= 0))
		c[1] += int(b2u64(q1 <= 0))
		c[2] += int(b2u64(q2 <= 0))
		c[3] += int(b2u64(q3 <= 0))
		if i+1 >= len(d) {
			return c
		}
		di, ei := d[i+1], e2[i]
		q0 = di - ei/q0 - x[0]
		q1 = di - ei/q1 - x[1]
		q2 = di - ei/q2 - x[2]
		q3 = di - ei/q3 - x[3]
	}
}

// mccBisectMinN is the smallest order for which eigenEnds bisects instead of
// computing the whole spectrum.
const mccBisectMinN = 8

// eigenEnds sets w[0] and w[n-3], w[n-2], w[n-1] (ascending) to the
// eigenvalues of the symmetric matrix sym (upper triangle, overwritten),
// which is all the symmetric MCC path reads; the other entries of w are
// unspecified. It reduces sym to tridiagonal form as dsyev does (dsytrd)
// and then, instead of computing every eigenvalue (dsterf, O(n²) and serial),
// finds these four by bisection with Sturm counts (as LAPACK's dstebz):
// each to an interval of a few ulps, which is within the rounding noise tau
// the certification already allows for. Small orders and matrices that
// dsyev would rescale take dsyev itself.
func (ms *mccScratch) eigenEnds(sym blas64.Symmetric, w []float64) bool {
	n := sym.N
	impl := gonum.Implementation{}
	if n < mccBisectMinN {
		return lapack64.Syev(lapack.EVNone, sym, w, ms.work, len(ms.work))
	}
	const (
		safmin = 0x1p-1022
		eps    = 0x1p-53 // LAPACK's dlamch('P') / 2: the unit roundoff
	)
	smlnum := safmin / (2 * eps)
	rmin, rmax := math.Sqrt(smlnum), math.Sqrt(1/smlnum)
	if anrm := impl.Dlansy(lapack.MaxAbs, blas.Upper, n, sym.Data, sym.Stride, ms.work); !(anrm >= rmin && anrm <= rmax) {
		return lapack64.Syev(lapack.EVNone, sym, w, ms.work, len(ms.work))
	}
	// dsyev's workspace layout: e, tau, then dsytrd's work.
	e, tau, work := ms.work[:n], ms.work[n:2*n], ms.work[2*n:]
	d := ms.td[:n]
	impl.Dsytrd(blas.Upper, n, sym.Data, sym.Stride, d, e, tau, work, len(work))
	// Squared off-diagonal, Gershgorin interval and pivmin (dstebz).
	e2 := ms.te2[:n-1]
	gl, gu := math.Inf(1), math.Inf(-1)
	emax2 := 0.0
	for i := 0; i < n; i++ {
		r := 0.0
		if i > 0 {
			r += math.Abs(e[i-1])
		}
		if i < n-1 {
			r += math.Abs(e[i])
			e2[i] = e[i] * e[i]
			emax2 = max(emax2, e2[i])
		}
		gl, gu = min(gl, d[i]-r), max(gu, d[i]+r)
	}
	if math.IsNaN(gl) || math.IsNaN(gu) || math.IsInf(gl, 0) || math.IsInf(gu, 0) {
		return false
	}
	pivmin := safmin * max(1, emax2)
	tnorm := max(math.Abs(gl), math.Abs(gu))
	gl -= 2*eps*tnorm*float64(n) + 2*pivmin
	gu += 2*eps*tnorm*float64(n) + 2*pivmin
	// The k-th smallest eigenvalue (k from 1) by bisection: [lo, hi] keeps
	// count(lo) < k <= count(hi), count(x) being the number of eigenvalues
	// <= x (dlaebz's Sturm count), until the interval holds no representable
	// midpoint or is within a few ulps (w[0] only needs an absolute
	// eps*||T||). The four searches advance together, so that their Sturm
	// recurrences (a chain of dependent divisions each) overlap.
	var ks [4]int
	nk := 0
	ks[nk], nk = 1, 1
	for k := max(2, n-2); k <= n; k++ {
		ks[nk], nk = k, nk+1
	}
	var lo, hi, mid [4]float64
	var done [4]bool
	for j := 0; j < nk; j++ {
		lo[j], hi[j] = gl, gu
	}
	for it := 0; it < 2100; it++ {
		active := false
		for j := 0; j < nk; j++ {
			abstol := pivmin
			if j == 0 {
				abstol = eps * tnorm
			}
			m := lo[j] + (hi[j]-lo[j])/2
			if done[j] || m <= lo[j] || m >= hi[j] || hi[j]-lo[j] <= max(4*eps*max(math.Abs(lo[j]), math.Abs(hi[j])), abstol) {
				done[j] = true
				mid[j] = gu // a harmless value; its count is not used
				continue
			}
			mid[j] = m
			active = true
		}
		if !active {
			break
		}
		c := sturmCounts4(d[:n], e2[:n-1], &mid, pivmin)
		for j := 0; j < nk; j++ {
			if done[j] {
				continue
			}
			if c[j] >= ks[j] {
				hi[j] = mid[j]
			} else {
				lo[j] = mid[j]
			}
		}
	}
	for j := 0; j < nk; j++ {
		w[ks[j]-1] = lo[j] + (hi[j]-lo[j])/2
	}
	return true
}

// mccEigenErr bounds the distance between the eigenvalue w[k] of S (w
// ascending) and the corresponding eigenvalue of Q: the eigenvalues of
// S + H lie within eta of those of S (Weyl), S being known to the rounding
// scale tau; the skew part K then moves an eigenvalue isolated by a gap g
// from the others by at most kappa²/g (its first-order effect is zero) and
// keeps it in place. It returns +Inf when the gap is too small.
func mccEigenErr(w []float64, k int, kappa, eta, tau float64) float64 {
	gap := math.Inf(1)
	if k+1 < len(w) {
		gap = w[k+1] - w[k]
	}
	if k > 0 {
		gap = min(gap, w[k]-w[k-1])
	}
	g := gap - 2*(eta+4*tau) - 2*kappa
	if !(g > 0) {
		return math.Inf(1)
	}
	return eta + kappa*kappa/g
}

// geevSecond is PyRadiomics' general path for one matrix: Q = M Pᵀ with
// M(i,k) = p(i,k)/(px(i)py(k) + eps) (dgemm), eigenvalues by LAPACK dgeev
// (gonum's port, as numpy.linalg.eigvals), sorted ascending (by real, then
// imaginary part). It returns the second largest, whether every eigenvalue is
// real, and false when dgeev did not converge.
func (ms *mccScratch) geevSecond(p []float64, n int, px, py []float64) (complex128, bool, bool) {
	if ms.q == nil {
		ms.q = make([]float64, n*n)
		ms.wr = make([]float64, n)
		ms.wi = make([]float64, n)
		ms.ev = make([]complex128, n)
		lw := []float64{0}
		lapack64.Geev(lapack.LeftEVNone, lapack.RightEVNone, blas64.General{Rows: n, Cols: n, Stride: n, Data: ms.q},
			ms.wr, ms.wi, blas64.General{Stride: 1}, blas64.General{Stride: 1}, lw, -1)
		ms.gwork = make([]float64, int(lw[0]))
	}
	m := ms.y
	for i := 0; i < n; i++ {
		for k := 0; k < n; k++ {
			m[i*n+k] = p[i*n+k] / (px[i]*py[k] + Eps)
		}
	}
	qa := blas64.General{Rows: n, Cols: n, Stride: n, Data: ms.q}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, blas64.General{Rows: n, Cols: n, Stride: n, Data: m},
		blas64.General{Rows: n, Cols: n, Stride: n, Data: p}, 0, qa)
	none := blas64.General{Stride: 1}
	if info := lapack64.Geev(lapack.LeftEVNone, lapack.RightEVNone, qa, ms.wr, ms.wi, none, none, ms.gwork, len(ms.gwork)); info != 0 {
		return 0, false, false
	}
	ev, isReal := ms.ev, true
	for k := range ev {
		ev[k] = complex(ms.wr[k], ms.wi[k])
		if ms.wi[k] != 0 {
			isReal = false
		}
	}
	slices.SortFunc(ev, func(x, y complex128) int {
		switch {
		case real(x) < real(y):
			return -1
		case real(x) > real(y):
			return 1
		case imag(x) < imag(y):
			return -1
		case imag(x) > imag(y):
			return 1
		}
		return 0
	})
	return ev[n-2], isReal, true
}
