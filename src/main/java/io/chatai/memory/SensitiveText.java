package io.chatai.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether a text looks like it holds a secret or a sensitive number, so that long-term memory never
 * stores it: API keys and tokens, passwords, bank-card, phone and identity
 * numbers. It errs on the side of refusing: a forgotten fact costs less than a remembered secret. Stateless.
 */
public final class SensitiveText {
    /** Words that announce a secret or an identity number, in English and Chinese. */
    private static final Pattern SECRET_WORDS = Pattern.compile(
            "pass(word|wd|phrase|code)|\\bpwd\\b|\\bpin\\b|api[ _-]?key|secret|token|private key|credential"
                    + "|\\bssn\\b|social security|passport|cvv|cvc|iban|密码|口令|密钥|令牌|验证码|身份证|银行卡|卡号|护照",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Well-known key and token shapes (OpenAI, Anthropic, GitHub, Slack, AWS, Google, JWT, PEM). */
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "\\b(sk|pk|rk)[-_][A-Za-z0-9_-]{8,}|\\bgh[pousr]_[A-Za-z0-9]{16,}|\\bxox[abprs]-[A-Za-z0-9-]{8,}"
                    + "|\\bAKIA[0-9A-Z]{12,}|\\bAIza[0-9A-Za-z_-]{20,}|\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"
                    + "|-----BEGIN [A-Z ]*PRIVATE KEY-----");
    /** A long run of letters and digits mixed, as random keys look (words and plain numbers are not). */
    private static final Pattern RANDOM_RUN = Pattern.compile("[A-Za-z0-9+/_=-]{20,}");
    /** Digits with the separators people write numbers with: "6222 0212 3456 7890", "+86 138-0013-8000". */
    private static final Pattern DIGIT_RUN = Pattern.compile("\\+?\\(?\\d[\\d\\s().-]*\\d");
    /** A date or a time is a number people may well want remembered ("born 1990-05-17"). */
    private static final Pattern DATE = Pattern.compile("\\d{4}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}[-./]\\d{1,2}[-./]\\d{2,4}");
    /** Seven digits and more make a phone, card, account or identity number; years and ages are shorter. */
    private static final int SENSITIVE_DIGITS = 7;

    private SensitiveText() {
    }

    /** Whether the text must not be remembered. */
    public static boolean isSensitive(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (SECRET_WORDS.matcher(lower).find() || KEY_SHAPES.matcher(text).find()) {
            return true;
        }
        Matcher random = RANDOM_RUN.matcher(text);
        while (random.find()) {
            String run = random.group();
            if (run.chars().anyMatch(Character::isDigit) && run.chars().anyMatch(Character::isLetter)) {
                return true;
            }
        }
        // Chinese ID numbers end in a check character X.
        if (Pattern.compile("\\d{17}[Xx]").matcher(text).find()) {
            return true;
        }
        Matcher digits = DIGIT_RUN.matcher(DATE.matcher(text).replaceAll(" "));
        while (digits.find()) {
            long count = digits.group().chars().filter(Character::isDigit).count();
            if (count >= SENSITIVE_DIGITS) {
                return true;
            }
        }
        return false;
    }
}
