package report;

import java.util.Locale;

/** Formats numbers for the markdown tables: fixed decimals, microseconds as milliseconds, "–" for NaN. Stateless. */
public final class Cells {
    private Cells() {
    }

    public static String ms(double micros) {
        return fmt3(micros / 1000.0);
    }

    public static String fmt3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    public static String fmt2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String fmt1(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    public static String fmt0(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** A signed percentage of a fraction: 0.05 → "+5 %". */
    public static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : (fraction >= 0 ? "+" : "") + fmt0(fraction * 100) + " %";
    }

    /** Whole hours or minutes when exact ("30 min"), else seconds with one decimal. */
    public static String duration(double seconds) {
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return (long) (seconds / 3600) + " h";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return (long) (seconds / 60) + " min";
        }
        return fmt1(seconds) + " s";
    }
}
