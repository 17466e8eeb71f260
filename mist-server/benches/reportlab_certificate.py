"""ReportLab baseline for the certificate benchmark (mist-server/benches/certificates.rs).

Draws the same A4-landscape certificate as `mist cert issue` (frames, rules, the same lines of text
in the same font with a subset embedded, a QR code to the verification URL) COUNT times into memory,
and prints the wall time and peak RSS.

    python reportlab_certificate.py FONT.ttf [COUNT]
"""

import io
import resource
import sys
import time

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = landscape(A4)
FAMILY = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"]
GIVEN = ["花子", "太郎", "一郎", "美咲", "健"]
INK, NAVY, GOLD, MUTED = (0.11, 0.11, 0.14), (0.12, 0.23, 0.37), (0.69, 0.55, 0.24), (0.35, 0.37, 0.42)


def text(c, value, size, x, y, align, color, max_width=WIDTH - 120):
    """One line, baseline at y from the top, shrunk to fit like the Rust renderer."""
    width = pdfmetrics.stringWidth(value, "IPAexGothic", size)
    if width > max_width:
        size, width = size * max_width / width, max_width
    c.setFillColorRGB(*color)
    c.setFont("IPAexGothic", size)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    c.drawString(left, HEIGHT - y, value)


def certificate(index):
    code = f"{index:04d}-9QX2-HD4T-R"
    url = f"https://lms.example.jp/verify/{code}"
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(WIDTH, HEIGHT))
    c.setTitle(f"修了証 Certificate of Completion — {code}")
    for inset, width, color in [(20, 2.5, NAVY), (27, 0.8, GOLD)]:
        c.setStrokeColorRGB(*color)
        c.setLineWidth(width)
        c.rect(inset, inset, WIDTH - 2 * inset, HEIGHT - 2 * inset)
    c.setFillColorRGB(*GOLD)
    c.rect(WIDTH / 2 - 60, HEIGHT - 143.2, 120, 1.2, stroke=0, fill=1)
    c.rect(WIDTH / 2 - 200, HEIGHT - 224.6, 400, 0.6, stroke=0, fill=1)
    center = WIDTH / 2
    name = f"{FAMILY[index % len(FAMILY)]} {GIVEN[index % len(GIVEN)]}"
    text(c, "修　了　証", 40, center, 104, "center", NAVY)
    text(c, "CERTIFICATE OF COMPLETION", 12, center, 132, "center", GOLD)
    text(c, "やまだ はなこ", 11, center, 174, "center", MUTED, 400)
    text(c, f"{name}　殿", 30, center, 214, "center", INK, 400)
    text(c, "あなたは下記の研修を修了したことをここに証します。", 12.5, center, 254, "center", INK)
    text(c, "This certifies that the person named above has completed the course below.",
         10, center, 272, "center", MUTED)
    rows = [
        ("所属  Organization", ["みすと総合病院"]),
        ("研修  Course", ["初学者・医療従事者向け研修", "Training for beginners and medical staff"]),
        ("対象  Audience", ["初学者・医療従事者", "Beginners and medical staff"]),
        ("得点  Score", [f"{80 + index % 21}%"]),
        ("修了日  Completed", ["2025年6月1日 (2025-06-01)"]),
        ("年度  Fiscal year", ["令和7年度 (FY2025)"]),
        ("有効期限  Valid until", ["2027年3月31日 (2027-03-31)"]),
    ]
    y = 312
    for label, values in rows:
        text(c, label, 9.5, 96, y, "left", MUTED, 132)
        for i, value in enumerate(values):
            if i:
                y += 12.5
                text(c, value, 9.5, 236, y, "left", MUTED, 370)
            else:
                text(c, value, 12.5, 236, y, "left", INK, 370)
        y += 25
    qr = QrCodeWidget(url, barLevel="M", barBorder=0)
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(112, 112, transform=[112 / (x1 - x0), 0, 0, 112 / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, 632, HEIGHT - 300 - 112)
    text(c, "検証用QRコード  Scan to verify", 8, 688, 426, "center", MUTED, 170)
    text(c, url, 6.5, 688, 437, "center", MUTED, 170)
    text(c, f"証明書番号  Certificate No.  {code}", 10, 96, 516, "left", INK)
    text(c, "発行日  Issued  2025年6月2日 (2025-06-02)", 10, WIDTH - 96, 516, "right", INK)
    text(c, "MIST 医療機関向けセキュリティ教育  Medical Information Security Training — Ed25519 署名付き  digitally signed",
         8, center, 546, "center", MUTED)
    c.showPage()
    c.save()
    return buffer.getvalue()


def main():
    font_path = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    pdfmetrics.registerFont(TTFont("IPAexGothic", font_path))
    start = time.perf_counter()
    total = sum(len(certificate(i)) for i in range(count))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reportlab: {count} certificates rendered in {seconds:.3f} s "
          f"({seconds * 1000 / count:.2f} ms each, {total // count // 1024} KB average), "
          f"peak RSS {peak_mb:.1f} MB")
    print(f"seconds={seconds:.6f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main()
