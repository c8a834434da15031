"""Loading and validating catalog YAML into the domain model (`tierline.domain.catalog`).

    catalog = load_catalog("catalog.yaml")        # or parse_catalog(mapping)
    body = catalog_to_dict(catalog)               # JSON-ready; parse_catalog(body) == catalog

Every problem raises one `CatalogError` whose `issues` name the path of each bad field.
"""

from tierline.catalog.dump import catalog_to_dict
from tierline.catalog.errors import CatalogError, CatalogIssue, format_issues
from tierline.catalog.loader import load_catalog, parse_catalog, read_yaml

__all__ = [
    "CatalogError",
    "CatalogIssue",
    "catalog_to_dict",
    "format_issues",
    "load_catalog",
    "parse_catalog",
    "read_yaml",
]
