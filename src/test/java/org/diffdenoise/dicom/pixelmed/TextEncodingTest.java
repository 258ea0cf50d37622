package org.diffdenoise.dicom.pixelmed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Encodings checked against the examples of PS3.5 Annexes H, I and J (the bytes of pydicom's chr*.dcm samples). */
class TextEncodingTest {
    private static byte[] bytes(String s) {
        return s.replace("ESC", "\u001b").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static TextEncoding set(String... terms) {
        return TextEncoding.of(terms);
    }

    @Test
    void japaneseKanjiAndHiraganaInIr87MatchPs35H31() {
        assertArrayEquals(bytes("Yamada^Tarou=ESC$B;3EDESC(B^ESC$BB@O:ESC(B=ESC$B$d$^$@ESC(B^ESC$B$?$m$&ESC(B"),
                set("", "ISO 2022 IR 87").encode("Yamada^Tarou=山田^太郎=やまだ^たろう", true));
    }

    @Test
    void katakanaInIr13ReturnsToRomajiAsPs35H32Does() {
        // value 1 is ISO 2022 IR 13: G0 goes back to JIS X 0201 Romaji (ESC ( J), katakana stays in G1
        assertArrayEquals(bytes("\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=ESC$B;3EDESC(J^ESC$BB@O:ESC(J=ESC$B$d$^$@ESC(J^ESC$B$?$m$&ESC(J"),
                set("ISO 2022 IR 13", "ISO 2022 IR 87").encode("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", true));
    }

    @Test
    void koreanInG1IsDesignatedAgainAfterEachDelimiterAsPs35I2Does() {
        assertArrayEquals(bytes("Hong^Gildong=ESC$)C\u00fb\u00f3^ESC$)C\u00d1\u00ce\u00d4\u00d7=ESC$)C\u00c8\u00ab^ESC$)C\u00b1\u00e6\u00b5\u00bf"),
                set("", "ISO 2022 IR 149").encode("Hong^Gildong=洪^吉洞=홍^길동", true));
    }

    @Test
    void singleByteAndUnicodeSetsUseTheirCharset() {
        assertArrayEquals(bytes("Buc^J\u00e9r\u00f4me"), set("ISO_IR 100").encode("Buc^Jérôme", true));
        assertArrayEquals("Wang^XiaoDong=王^小東=".getBytes(StandardCharsets.UTF_8),
                set("ISO_IR 192").encode("Wang^XiaoDong=王^小東=", true));
        assertArrayEquals(bytes("Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab="),
                set("GB18030").encode("Wang^XiaoDong=王^小东=", true));
    }

    @Test
    void charactersNoDeclaredSetHoldsAreRefused() {
        assertNull(set("ISO_IR 100").encode("頭部", false));
        assertNull(set().encode("Schädel", false));                          // default repertoire: ASCII only
        assertNull(set("", "ISO 2022 IR 87").encode("Schädel", false));      // no Latin-1 element declared
        assertNull(set("ISO_IR 192").encode("\ud800", false));               // lone surrogate
    }

    @Test
    void latinInIso2022IsDesignatedIntoG1() {
        assertArrayEquals(bytes("SchESC-A\u00e4del"), set("", "ISO 2022 IR 100").encode("Schädel", false));
    }

    @Test
    void textLinesReturnToTheInitialSetBeforeEachLineBreak() {
        assertArrayEquals(bytes("ESC$B;3EDESC(B\r\nMR"), set("", "ISO 2022 IR 87").encode("山田\r\nMR", false));
    }

    @Test
    void unknownTermsEncodeOnlyAscii() {
        TextEncoding t = set("ISO_IR 999");
        assertFalse(t.known());
        assertArrayEquals(bytes("MR head"), t.encode("MR head", false));
        assertNull(t.encode("Schädel", false));
        assertTrue(set("", "ISO 2022 IR 87").known());
        assertTrue(set("ISO_IR 100", "").known());  // a trailing empty value is no second set
    }

    @Test
    void provenanceJsonBecomesAsciiAndStillParsesToTheSameText() {
        String json = "{\"modelName\":\"Modèle 雑音 \\\"q\\\"\"}";
        String ascii = DerivedText.asciiJson(json);
        assertTrue(TextEncoding.isAscii(ascii), ascii);
        assertEquals("Modèle 雑音 \"q\"", JsonParser.parseString(ascii).getAsJsonObject().get("modelName").getAsString());
    }
}
