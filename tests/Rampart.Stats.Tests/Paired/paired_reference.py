# Reference values of the Paired/ tests: SciPy 1.10.1, statsmodels 0.13.5, NumPy 1.24 (Debian's python3-scipy,
# python3-statsmodels). Reproduce with /usr/bin/python3 tests/Rampart.Stats.Tests/Paired/paired_reference.py
import numpy as np, warnings
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint
warnings.simplefilter("ignore")
np.set_printoptions(precision=17)
def lcg(seed, n):
    s, out = seed % 2**64, []
    for _ in range(n):
        s = (6364136223846793005 * s + 1442695040888963407) % 2**64
        out.append((s >> 11) * 2.0**-53)
    return out
a = np.array([812.5, 903.1, 1210.0, 745.2, 988.8, 1402.3, 876.4, 1033.9, 950.0, 1120.7, 799.9, 1311.2])
s = np.array([790.2, 921.7, 1150.4, 760.9, 1012.3, 1350.8, 901.1, 1080.6, 930.4, 1175.2, 842.0, 1290.5])
print("small diffs", s - a)
u = np.array(lcg(7, 600)); u1, u2 = u[0::2], u[1::2]
x = 200 + 800 * u1 * u1 * u1
y = x * (0.9 + 0.3 * u2)
xi = np.floor(x); yi = np.floor(x * (0.9 + 0.3 * u2))
print("ints zeros", np.sum(yi - xi == 0))
tc = np.array([100, 120, 130, 150, 160, 170, 180, 200, 210, 220.])
ts = np.array([110, 120, 125, 160, 150, 190, 175, 210, 230, 220.])
nc = np.array([100, 120, 130, 150, 160, 170, 180, 200.])
ns = np.array([110, 135, 125, 160, 150, 190, 175, 215.])
print("noZeroTies diffs", ns-nc)
for name,(c,t) in {"small":(a,s),"tiesZeros":(tc,ts),"tiesNoZeros":(nc,ns),"lcg":(x,y),"lcgInt":(xi,yi)}.items():
    print("==", name, len(c))
    w = stats.wilcoxon(t, c); print(" wilcoxon auto", repr(w.statistic), repr(w.pvalue))
    w = stats.wilcoxon(t, c, method='approx'); print(" wilcoxon approx", repr(w.statistic), repr(w.pvalue), repr(getattr(w,'zstatistic',None)))
    r = stats.ttest_rel(t, c); ci = r.confidence_interval(0.95)
    print(" ttest_rel", repr(r.statistic), repr(r.pvalue), repr(r.df), repr(ci.low), repr(ci.high), "mean", repr(np.mean(t-c)))
    if (c>0).all() and (t>0).all():
        r = stats.ttest_rel(np.log(t), np.log(c)); ci = r.confidence_interval(0.95)
        md = np.mean(np.log(t)-np.log(c))
        print(" logratio", repr(r.statistic), repr(r.pvalue), "gmr", repr(np.exp(md)), repr(np.exp(ci.low)), repr(np.exp(ci.high)))
        rr = np.sort(t/c); n=len(rr)
        ks=[j for j in range(1, n//2+1) if stats.binom.cdf(j-1, n, .5) <= 0.025]
        k = max(ks) if ks else None
        print(" median", repr(np.median(t/c)), "k", k, (repr(rr[k-1]), repr(rr[n-k]), repr(1-2*stats.binom.cdf(k-1,n,.5))) if k else None,
              "p95ratio", repr(np.percentile(t,95)/np.percentile(c,95)))
print("== mcnemar")
for b,c,A,D in [(3,12,80,5),(10,10,0,0),(0,7,40,3),(250,205,9000,545),(1200000,1198000,50000000,600000),(12,0,0,0)]:
    tab=[[A,b],[c,D]]; n=A+b+c+D
    ex=mcnemar(tab, exact=True); ch=mcnemar(tab, exact=False, correction=True)
    bt=stats.binomtest(b,b+c,0.5)
    gr=stats.binomtest(b,b+c,0.5,alternative='greater').pvalue
    d=np.r_[np.ones(b),-np.ones(c),np.zeros(A+D)]
    hw=stats.norm.ppf(0.975)*d.std()/np.sqrt(n)
    print((b,c,A,D), "exact", repr(ex.pvalue), repr(bt.pvalue), "greater", repr(gr), "chi2", repr(ch.statistic), repr(ch.pvalue), "diff", repr(d.mean()), repr(d.mean()-hw), repr(d.mean()+hw))
print("== winrate")
for w,l,t in [(30,18,12),(5,0,0),(0,0,5),(520,480,1000),(7,9,0)]:
    n=w+l+t
    ci=proportion_confint(w+t/2, n, method='wilson')
    p=stats.binomtest(w,w+l,0.5).pvalue if w+l>0 else None
    print((w,l,t), repr((w+t/2)/n), repr(ci[0]), repr(ci[1]), repr(p))
print("== lcg40")
c, t = x[:40], y[:40]
w = stats.wilcoxon(t, c); print(" auto", repr(w.statistic), repr(w.pvalue))
w = stats.wilcoxon(t, c, method='approx'); print(" approx", repr(w.statistic), repr(w.pvalue))
c, t = x[:51], y[:51]
w = stats.wilcoxon(t, c); print(" n51 auto", repr(w.statistic), repr(w.pvalue))
rr=np.sort(y/x); n=300
ks=[j for j in range(1, n//2+1) if stats.binom.cdf(j-1, n, .5) <= 0.05]
k=max(ks); print(" lcg median 90%", k, repr(rr[k-1]), repr(rr[n-k]), repr(1-2*stats.binom.cdf(k-1,n,.5)))
print(" ttest 90%", stats.ttest_rel(y, x).confidence_interval(0.90))
