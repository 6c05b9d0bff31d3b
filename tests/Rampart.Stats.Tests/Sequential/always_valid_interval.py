# Reference for Msprt.ConfidenceInterval: the half-width is where the mixture likelihood ratio of the shifted null theta0
# reaches 1/alpha. Lambda(theta0) = integral over t of N(th; t, V) * N(t; theta0, tau^2) dt / N(th; theta0, V), by Simpson's
# rule on a fine grid (not the closed form), and the bound by bisection.
import math
def lam(th, theta0, V, tau):
    lo=theta0-14*tau; hi=theta0+14*tau; n=20000; h=(hi-lo)/n; tot=0.0
    for i in range(n+1):
        t=lo+i*h; w=1 if i in (0,n) else (4 if i%2 else 2)
        logr=(-(th-t)**2+(th-theta0)**2)/(2*V)
        tot+=w*math.exp(logr-0.5*((t-theta0)/tau)**2)/(tau*math.sqrt(2*math.pi))
    return tot*h/3
def bound(th,V,tau,alpha):
    lo=th; hi=th+20*math.sqrt(V)
    for _ in range(60):
        mid=(lo+hi)/2
        if lam(th,mid,V,tau) < 1/alpha: lo=mid
        else: hi=mid
    return (lo+hi)/2-th
for th,V,tau,a in [(0.05,0.0004,0.1,0.05),(0.03,0.0002,0.02,0.05),(-0.2,0.0025,0.1,0.05),(1.2,0.09,0.5,0.1)]:
    print(th,V,tau,a,repr(bound(th,V,tau,a)))
