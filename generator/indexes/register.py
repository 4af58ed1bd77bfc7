"""The register of each instansi (:class:`~generator.model.register.Register`) from the
catalogue and the review statuses."""

from __future__ import annotations

from collections.abc import Callable

from generator.indexes.lifecycle import ReviewState, ReviewStatus, long_date
from generator.indexes.views import Views
from generator.model.register import Register, RegisterEntry
from generator.model.sop import Sop
from generator.sources.catalogue import InstansiGroup

STATUS = {
    ReviewState.TERJADWAL: "Berlaku",
    ReviewState.SEGERA: "Berlaku; segera ditinjau",
    ReviewState.TERLAMBAT: "Perlu ditinjau",
    ReviewState.TIDAK_DIKETAHUI: "Tanggal tidak tercantum",
}


def status_text(review: ReviewStatus) -> str:
    """The review status in the few words a register column holds."""
    text = STATUS[review.state]
    if review.state is ReviewState.TERLAMBAT:
        overdue = [
            (due, name)
            for due, name in ((review.evaluation_due, "evaluasi"), (review.monitoring_due, "monitoring"))
            if due is not None and due < review.today
        ]
        if overdue:  # the evaluation is the one that matters most; else the monitoring
            due, name = overdue[0]
            text += f" ({name} sejak {long_date(due, review.precision)})"
    elif review.state is ReviewState.SEGERA:
        upcoming = [d for d in (review.evaluation_due, review.monitoring_due) if d is not None and d >= review.today]
        if upcoming:
            text += f" ({long_date(min(upcoming), review.precision)})"
    return text


def register_of(group: InstansiGroup, views: Views, url_of: Callable[[Sop], str] | None = None) -> Register:
    """The register of one instansi; ``url_of`` gives an SOP page's public address, if any."""
    entries = []
    sops = [sop for unit in group.units for sop in unit.sops]
    for number, sop in enumerate(sops, start=1):
        review = views.reviews[sop.id]
        entries.append(
            RegisterEntry(
                no=number,
                sop_id=sop.id,
                nomor=sop.nomor,
                nama=sop.nama,
                unit=" · ".join(part for part in (sop.unit, sop.sub_unit) if part),
                pembuatan=sop.tanggal_pembuatan.text if sop.tanggal_pembuatan else "",
                revisi=sop.tanggal_revisi.text if sop.tanggal_revisi else "",
                efektif=sop.tanggal_efektif.text if sop.tanggal_efektif else "",
                status=status_text(review),
                due=review.due,
                url=url_of(sop) if url_of else "",
            )
        )
    alamat = next((sop.alamat for sop in sops if sop.alamat), "")
    policy = views.catalogue.shared.review
    note = (
        f"SOP dievaluasi paling lambat setiap {policy.evaluasi_bulan} bulan dan dimonitor setiap "
        f"{policy.monitoring_bulan} bulan (kecuali SOP yang menetapkan periodenya sendiri), dihitung dari "
        "tanggal terakhir di identitas SOP atau di riwayatnya."
    )
    return Register(group.pemerintah, group.instansi, alamat, long_date(views.today), tuple(entries), note)
