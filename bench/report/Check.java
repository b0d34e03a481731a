package report;

/** One of the targets as measured in this run: what, the measured value, the requirement, and pass/fail (null: not judged). */
public record Check(String target, String measured, String required, Boolean pass) {
    public String verdict() {
        return pass == null ? "—" : pass ? "PASS" : "FAIL";
    }
}
