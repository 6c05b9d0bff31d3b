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
}
