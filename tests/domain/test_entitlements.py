from __future__ import annotations

from builders import a_catalog, a_free_edition, a_plan, an_edition

from tierline.domain.catalog import Catalog
from tierline.domain.entitlements import Effect, change_effects, features_of, limits_of


def catalog_with_limits() -> Catalog:
    return a_catalog(
        editions=(
            a_free_edition("free", limits={"external_users": 0, "domains": 1}),
            an_edition(
                "basic",
                rank=1,
                limits={"external_users": 100, "domains": 1},
                features=frozenset({"priority_groups"}),
            ),
            an_edition(
                "pro",
                rank=2,
                limits={"external_users": 100, "domains": None},
                features=frozenset({"priority_groups", "sso"}),
            ),
        )
    )


def test_a_plans_limits_add_each_packs_grant_times_its_count() -> None:
    plan = a_plan("basic", addons={"external-users": 2, "workflows": 1})
    assert limits_of(catalog_with_limits(), plan) == {
        "external_users": 300,
        "domains": 1,
        "workflow_executions": 10000,
    }


def test_an_unlimited_limit_stays_unlimited_whatever_the_packs() -> None:
    catalog = a_catalog(
        editions=(an_edition("basic", limits={"external_users": None}),),
    )
    assert limits_of(catalog, a_plan(addons={"external-users": 3}))["external_users"] is None


def test_features_come_from_the_edition() -> None:
    assert features_of(catalog_with_limits(), a_plan("pro")) == {"priority_groups", "sso"}


def test_a_downgrade_lists_what_it_reduces_and_removes() -> None:
    effects = change_effects(catalog_with_limits(), a_plan("pro"), a_plan("basic"))
    assert effects == (
        Effect("limit_reduced", "domains", None, 1),
        Effect("feature_removed", "sso"),
    )


def test_an_upgrade_lists_what_it_raises_and_adds() -> None:
    effects = change_effects(catalog_with_limits(), a_plan("free"), a_plan("basic"))
    assert effects == (
        Effect("limit_raised", "external_users", 0, 100),
        Effect("feature_added", "priority_groups"),
    )


def test_an_effect_as_a_dict_shows_before_and_after_only_for_limits() -> None:
    assert Effect("limit_reduced", "domains", None, 1).as_dict() == {
        "kind": "limit_reduced",
        "name": "domains",
        "before": None,
        "after": 1,
    }
    assert Effect("feature_removed", "sso").as_dict() == {"kind": "feature_removed", "name": "sso"}
