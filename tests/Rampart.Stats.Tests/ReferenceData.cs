namespace Rampart.Stats.Tests;

/// <summary>Literal data sets the SciPy/statsmodels reference values were computed from (the Python names in comments).</summary>
internal static class ReferenceData
{
    /// <summary><c>a = np.array([812.5, 903.1, 1210.0, 745.2, 988.8, 1402.3, 876.4, 1033.9, 950.0, 1120.7, 799.9, 1311.2])</c>: control latencies.</summary>
    public static readonly double[] ControlLatencies = [812.5, 903.1, 1210.0, 745.2, 988.8, 1402.3, 876.4, 1033.9, 950.0, 1120.7, 799.9, 1311.2];

    /// <summary><c>b = np.array([765.0, 842.6, 1105.3, 690.1, 905.5, 1288.0, 810.2, 955.4, 1001.8, 720.3, 880.0, 1190.6, 835.9, 760.4, 1010.1])</c>: variant latencies.</summary>
    public static readonly double[] VariantLatencies = [765.0, 842.6, 1105.3, 690.1, 905.5, 1288.0, 810.2, 955.4, 1001.8, 720.3, 880.0, 1190.6, 835.9, 760.4, 1010.1];

    /// <summary><c>x = 200 + 800 * np.array(lcg(42, 1000))**3</c>: 1000 skewed values from <see cref="Lcg"/>.</summary>
    public static double[] LcgSkewed() => new Lcg(42).Take(1000).Select(u => 200 + (800 * u * u * u)).ToArray();

    /// <summary><c>s = np.array([790.2, 921.7, 1150.4, 760.9, 1012.3, 1350.8, 901.1, 1080.6, 930.4, 1175.2, 842.0, 1290.5])</c>: a shadow's latencies on the requests of <see cref="ControlLatencies"/>, pair by pair.</summary>
    public static readonly double[] ShadowLatencies = [790.2, 921.7, 1150.4, 760.9, 1012.3, 1350.8, 901.1, 1080.6, 930.4, 1175.2, 842.0, 1290.5];

    /// <summary>
    /// 300 skewed paired values: <c>u = np.array(lcg(7, 600)); u1, u2 = u[0::2], u[1::2]; x = 200 + 800 * u1 * u1 * u1;
    /// y = x * (0.9 + 0.3 * u2)</c>, the control x and the shadow y (about 5% larger on average).
    /// </summary>
    public static (double[] Control, double[] Shadow) LcgPaired()
    {
        var u = new Lcg(7).Take(600);
        var control = new double[300];
        var shadow = new double[300];
        for (var i = 0; i < 300; i++)
        {
            control[i] = 200 + (800 * u[2 * i] * u[2 * i] * u[2 * i]);
            shadow[i] = control[i] * (0.9 + (0.3 * u[(2 * i) + 1]));
        }

        return (control, shadow);
    }

    /// <summary><see cref="LcgPaired"/> floored to whole numbers (<c>xi = np.floor(x); yi = np.floor(y)</c>): ties and 6 zero differences.</summary>
    public static (double[] Control, double[] Shadow) LcgPairedWhole()
    {
        var (control, shadow) = LcgPaired();
        return (control.Select(Math.Floor).ToArray(), shadow.Select(Math.Floor).ToArray());
    }
}
