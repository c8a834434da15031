"""The tax report: what an accountant files a VAT return from."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from tierline.api.deps import OperatorDep, RuntimeDep
from tierline.api.responses import error_responses
from tierline.services.tax_report import as_csv, as_json, tax_report_for

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=error_responses(400, 401))


class TaxReportRowRead(BaseModel):
    country: str = Field(description="The buyer's, as the documents were issued to it.")
    rate: str = Field(description="Percent, e.g. 20 or 19.6.")
    category: Literal["standard", "zero", "reverse_charge", "outside_scope"]
    taxable: str = Field(description="Invoices minus credit notes.")
    tax: str
    invoices: int
    credit_notes: int


class TaxReportRead(BaseModel):
    start: str = Field(alias="from", description="First issue day counted (UTC).")
    end: str = Field(alias="to", description="Last issue day counted, included.")
    currency: str
    rows: list[TaxReportRowRead]
    taxable: str
    tax: str


@router.get(
    "/tax",
    response_model=TaxReportRead,
    response_model_by_alias=True,
    responses={200: {"content": {"text/csv": {}}}},
)
def tax_report(
    rt: RuntimeDep,
    _: OperatorDep,
    start: Annotated[date, Query(alias="from", description="First issue day (UTC).")],
    end: Annotated[date, Query(alias="to", description="Last issue day (UTC), included.")],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
    currency: Annotated[
        str | None,
        Query(max_length=8, description="The accounts billed in it; default the catalog's."),
    ] = None,
) -> TaxReportRead | Response:
    """Taxable amounts and tax per country, rate and category of the invoices (not void) and
    credit notes issued in the period, credit notes subtracted; as JSON or CSV. One currency
    per report: the documents of the accounts billed in it."""
    report = tax_report_for(start, end, uow=rt.uow(), currency=currency)
    if format == "csv":
        name = f"tax-{start.isoformat()}-{end.isoformat()}.csv"
        disposition = f'attachment; filename="{name}"'
        return Response(
            as_csv(report), media_type="text/csv", headers={"Content-Disposition": disposition}
        )
    return TaxReportRead.model_validate(as_json(report))
