package io.wareedge.sortation;

/** What a well-formed scanned code and a well-formed name look like. */
public final class Codes {
    /** Longest code accepted: GS1-128 and SSCC labels are well under this, RFID EPCs (hex) up to 124. */
    public static final int MAX_CODE_LENGTH = 128;

    private Codes() {
    }

    /**
     * Whether a scanned code can be looked up: 1..128 printable ASCII characters, no spaces, no commas (a comma
     * separates codes in telemetry).
     */
    public static boolean isWellFormed(String code) {
        if (code == null || code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c <= ' ' || c > '~' || c == ',') {
                return false;
            }
        }
        return true;
    }

    static void checkCode(String code) {
        if (!isWellFormed(code)) {
            throw new PlanException("code must be 1.." + MAX_CODE_LENGTH
                    + " printable ASCII characters without spaces or commas, got '" + code + "'");
        }
    }

    static void checkName(String what, String name) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new PlanException(what + " must be 1..64 characters, got '" + name + "'");
        }
    }
}
