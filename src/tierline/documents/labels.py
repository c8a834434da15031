"""The words printed on documents, one catalogue per language.

`Labels` is a frozen dataclass, so a catalogue that misses a word does not type-check. Fields
holding `{placeholders}` are filled with `str.format`; every language uses the same placeholders.
An unsupported language falls back to English (see `tierline.documents.formatting`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tierline.domain.lines import ENGLISH_LINES, LineKind, LineWords


@dataclass(frozen=True, kw_only=True)
class Labels:
    # titles
    invoice: str
    credit_note: str
    receipt: str
    # header
    number: str
    issued: str
    due: str
    status: str
    status_open: str
    status_paid: str
    status_uncollectible: str
    status_void: str
    paid_on: str  # {date}
    seller: str
    buyer: str
    account: str
    tax_id: str
    # lines
    description: str
    period: str
    quantity: str
    unit_amount: str
    amount: str
    kind_subscription: str
    kind_addon: str
    kind_proration_charge: str
    kind_proration_credit: str
    kind_usage: str
    kind_refund: str
    # invoice totals
    subtotal: str
    credits_applied: str
    balance_applied: str
    total: str
    amount_paid: str
    amount_due: str
    # credit note
    credited_invoice: str
    credit_applied_to: str
    remainder: str
    to_invoice: str  # {number}
    to_refund: str
    to_balance: str
    to_next_invoice: str
    total_credited: str
    # receipt
    for_invoice: str
    payment_method: str
    plan_bought: str
    refund_old_plan: str
    credits_and_balance: str
    refunded: str
    balance_top_up: str  # what a receipt for no invoice paid for
    # footer
    page: str  # {page} {pages}
    # what a line says (its description): see `tierline.domain.lines.describe`
    line_remaining: str  # {item}
    line_unused: str  # {item}
    line_credit: str
    line_refund: str
    line_refunded_to_card: str
    line_carried_to_balance: str
    line_paid_from_balance: str

    @property
    def lines(self) -> LineWords:
        return LineWords(
            remaining=self.line_remaining,
            unused=self.line_unused,
            credit=self.line_credit,
            refund=self.line_refund,
            refunded_to_card=self.line_refunded_to_card,
            carried_to_balance=self.line_carried_to_balance,
            paid_from_balance=self.line_paid_from_balance,
        )

    def kind(self, kind: LineKind) -> str:
        """The name of a line's kind."""
        names: dict[LineKind, str] = {
            "subscription": self.kind_subscription,
            "addon": self.kind_addon,
            "proration_charge": self.kind_proration_charge,
            "proration_credit": self.kind_proration_credit,
            "usage": self.kind_usage,
            "refund": self.kind_refund,
        }
        return names[kind]


EN = Labels(
    invoice="Invoice",
    credit_note="Credit note",
    receipt="Receipt",
    number="Number",
    issued="Issue date",
    due="Due date",
    status="Status",
    status_open="Open",
    status_paid="Paid",
    status_uncollectible="Uncollectible",
    status_void="Void",
    paid_on="Paid on {date}",
    seller="From",
    buyer="Bill to",
    account="Account",
    tax_id="VAT number",
    description="Description",
    period="Period",
    quantity="Qty",
    unit_amount="Unit price",
    amount="Amount",
    kind_subscription="Subscription",
    kind_addon="Add-on",
    kind_proration_charge="Prorated charge",
    kind_proration_credit="Credit for unused time",
    kind_usage="Usage",
    kind_refund="Refund",
    subtotal="Subtotal",
    credits_applied="Credits applied",
    balance_applied="Balance applied",
    total="Total",
    amount_paid="Amount paid",
    amount_due="Amount due",
    credited_invoice="Credits invoice",
    credit_applied_to="Credit applied to",
    remainder="Any remainder",
    to_invoice="Invoice {number}",
    to_refund="Refunded to the payment method",
    to_balance="Account balance",
    to_next_invoice="The next invoice",
    total_credited="Total credited",
    for_invoice="For invoice",
    payment_method="Payment method",
    plan_bought="Plan purchased",
    refund_old_plan="Refund for the previous plan",
    credits_and_balance="Credits and balance",
    refunded="Refunded",
    balance_top_up="Balance top-up",
    page="Page {page} of {pages}",
    line_remaining=ENGLISH_LINES.remaining,
    line_unused=ENGLISH_LINES.unused,
    line_credit=ENGLISH_LINES.credit,
    line_refund=ENGLISH_LINES.refund,
    line_refunded_to_card=ENGLISH_LINES.refunded_to_card,
    line_carried_to_balance=ENGLISH_LINES.carried_to_balance,
    line_paid_from_balance=ENGLISH_LINES.paid_from_balance,
)

FR = Labels(
    invoice="Facture",
    credit_note="Avoir",
    receipt="Reçu",
    number="Numéro",
    issued="Date d'émission",
    due="Date d'échéance",
    status="Statut",
    status_open="À payer",
    status_paid="Payée",
    status_uncollectible="Irrécouvrable",
    status_void="Annulée",
    paid_on="Payée le {date}",
    seller="Émetteur",
    buyer="Facturé à",
    account="Compte",
    tax_id="N° de TVA",
    description="Désignation",
    period="Période",
    quantity="Qté",
    unit_amount="Prix unitaire",
    amount="Montant",
    kind_subscription="Abonnement",
    kind_addon="Option",
    kind_proration_charge="Facturation au prorata",
    kind_proration_credit="Crédit pour la période non utilisée",
    kind_usage="Consommation",
    kind_refund="Remboursement",
    subtotal="Sous-total",
    credits_applied="Avoirs imputés",
    balance_applied="Solde utilisé",
    total="Total",
    amount_paid="Montant payé",
    amount_due="Reste à payer",
    credited_invoice="Avoir sur la facture",
    credit_applied_to="Crédit imputé sur",
    remainder="Reliquat éventuel",
    to_invoice="Facture {number}",
    to_refund="Remboursé sur le moyen de paiement",
    to_balance="Solde du compte",
    to_next_invoice="La prochaine facture",
    total_credited="Total de l'avoir",
    for_invoice="Facture réglée",
    payment_method="Moyen de paiement",
    plan_bought="Formule achetée",
    refund_old_plan="Remboursement de l'ancienne formule",
    credits_and_balance="Crédits et solde",
    refunded="Remboursé",
    balance_top_up="Recharge du solde",
    page="Page {page} sur {pages}",
    line_remaining="Temps restant sur {item}",
    line_unused="Temps non utilisé sur {item}",
    line_credit="Avoir pour le temps non utilisé",
    line_refund="Remboursement du temps non utilisé",
    line_refunded_to_card="Remboursé sur la carte",
    line_carried_to_balance="Reporté sur le solde",
    line_paid_from_balance="Payé avec le solde",
)

IT = Labels(
    invoice="Fattura",
    credit_note="Nota di credito",
    receipt="Ricevuta",
    number="Numero",
    issued="Data di emissione",
    due="Data di scadenza",
    status="Stato",
    status_open="Da pagare",
    status_paid="Pagata",
    status_uncollectible="Inesigibile",
    status_void="Annullata",
    paid_on="Pagata il {date}",
    seller="Emittente",
    buyer="Intestata a",
    account="Conto",
    tax_id="Partita IVA",
    description="Descrizione",
    period="Periodo",
    quantity="Qtà",
    unit_amount="Prezzo unitario",
    amount="Importo",
    kind_subscription="Abbonamento",
    kind_addon="Componente aggiuntivo",
    kind_proration_charge="Addebito pro rata",
    kind_proration_credit="Credito per il periodo non usato",
    kind_usage="Consumo",
    kind_refund="Rimborso",
    subtotal="Subtotale",
    credits_applied="Crediti applicati",
    balance_applied="Saldo utilizzato",
    total="Totale",
    amount_paid="Importo pagato",
    amount_due="Importo da pagare",
    credited_invoice="Storno della fattura",
    credit_applied_to="Credito applicato a",
    remainder="Eventuale residuo",
    to_invoice="Fattura {number}",
    to_refund="Rimborsato sul metodo di pagamento",
    to_balance="Saldo del conto",
    to_next_invoice="La prossima fattura",
    total_credited="Totale accreditato",
    for_invoice="Fattura saldata",
    payment_method="Metodo di pagamento",
    plan_bought="Piano acquistato",
    refund_old_plan="Rimborso del piano precedente",
    credits_and_balance="Crediti e saldo",
    refunded="Rimborsato",
    balance_top_up="Ricarica del saldo",
    page="Pagina {page} di {pages}",
    line_remaining="Tempo residuo su {item}",
    line_unused="Tempo non utilizzato su {item}",
    line_credit="Credito per il tempo non utilizzato",
    line_refund="Rimborso per il tempo non utilizzato",
    line_refunded_to_card="Rimborsato sulla carta",
    line_carried_to_balance="Accreditato sul saldo",
    line_paid_from_balance="Pagato con il saldo",
)

VI = Labels(
    invoice="Hóa đơn",
    credit_note="Phiếu ghi có",
    receipt="Biên lai",
    number="Số",
    issued="Ngày phát hành",
    due="Hạn thanh toán",
    status="Trạng thái",
    status_open="Chưa thanh toán",
    status_paid="Đã thanh toán",
    status_uncollectible="Không thu được",
    status_void="Đã hủy",
    paid_on="Đã thanh toán ngày {date}",
    seller="Bên bán",
    buyer="Bên mua",
    account="Tài khoản",
    tax_id="Mã số thuế",
    description="Mô tả",
    period="Kỳ",
    quantity="SL",
    unit_amount="Đơn giá",
    amount="Thành tiền",
    kind_subscription="Thuê bao",
    kind_addon="Gói bổ sung",
    kind_proration_charge="Phí theo tỷ lệ thời gian",
    kind_proration_credit="Tín dụng cho thời gian chưa dùng",
    kind_usage="Phí sử dụng",
    kind_refund="Hoàn tiền",
    subtotal="Tạm tính",
    credits_applied="Tín dụng đã áp dụng",
    balance_applied="Số dư đã dùng",
    total="Tổng cộng",
    amount_paid="Số tiền đã thanh toán",
    amount_due="Còn phải trả",
    credited_invoice="Ghi có cho hóa đơn",
    credit_applied_to="Tín dụng áp dụng cho",
    remainder="Phần còn lại",
    to_invoice="Hóa đơn {number}",
    to_refund="Hoàn lại vào phương thức thanh toán",
    to_balance="Số dư tài khoản",
    to_next_invoice="Hóa đơn tiếp theo",
    total_credited="Tổng tiền ghi có",
    for_invoice="Cho hóa đơn",
    payment_method="Phương thức thanh toán",
    plan_bought="Gói đã mua",
    refund_old_plan="Hoàn tiền gói cũ",
    credits_and_balance="Tín dụng và số dư",
    refunded="Đã hoàn tiền",
    balance_top_up="Nạp tiền vào số dư",
    page="Trang {page}/{pages}",
    line_remaining="Thời gian còn lại của {item}",
    line_unused="Thời gian chưa sử dụng của {item}",
    line_credit="Tín dụng cho thời gian chưa sử dụng",
    line_refund="Hoàn tiền cho thời gian chưa sử dụng",
    line_refunded_to_card="Đã hoàn về thẻ",
    line_carried_to_balance="Đã chuyển vào số dư",
    line_paid_from_balance="Thanh toán từ số dư",
)

CATALOGUES: dict[str, Labels] = {"en": EN, "fr": FR, "it": IT, "vi": VI}
"""Labels by language code; the keys are the supported languages."""
