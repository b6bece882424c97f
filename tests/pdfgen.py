"""A tiny PDF writer for tests: real, valid PDFs with a text layer, made as bytes."""

from __future__ import annotations


def _escape(s: str) -> bytes:
    b = s.encode("cp1252", errors="replace")
    return b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[str]) -> bytes:
    objs: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids).encode()
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(n_pages).encode() + b" >>")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, text in enumerate(pages):
        lines = text.split("\n")
        ops = [b"BT /F1 11 Tf 14 TL 50 780 Td"]
        for ln in lines:
            ops.append(b"(" + _escape(ln) + b") Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents "
            + str(page_ids[i] + 1).encode()
            + b" 0 R >>"
        )
        objs.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    return _assemble(objs)


def _assemble(objs: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {root} 0 R ".encode() + trailer_extra
    out += f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def decompression_bomb(inflated_mb: int = 150) -> bytes:
    """One page whose content stream inflates from a few hundred KB to `inflated_mb` MB."""
    import zlib

    data = zlib.compress(b" " * (inflated_mb * 2**20), 9)
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length "
            + str(len(data)).encode()
            + b" /Filter /FlateDecode >>\nstream\n"
            + data
            + b"\nendstream",
        ]
    )


def cyclic_page_tree() -> bytes:
    """A /Pages node whose kid is a /Pages node pointing back to the first."""
    return _assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def xref_loop() -> bytes:
    """A trailer whose /Prev points at its own cross-reference table."""
    base = make_pdf(["Texte"])
    start = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    return base.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev " + str(start).encode() + b" >>")


def encrypted(user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Texte confidentiel du bilan."]))))
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
