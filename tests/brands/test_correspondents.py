"""School correspondents in the brands admin: their own school and its brands, nothing else;
the roles the migrations create; who assigns correspondents and reviewer levels."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from brands.models import Brand, School
from news.models import ReviewerAssignment
from news.roles import ROLES
from tests.factories import BrandFactory, RoleUserFactory, SchoolFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(db):
    own, other = SchoolFactory(name="本校小学"), SchoolFactory(name="他校小学")
    return own, other


@pytest.fixture
def correspondent(client, schools):
    user = RoleUserFactory(username="tongxunyuan", roles=["学校通讯员"], schools=[schools[0]])
    client.force_login(user)
    return user


def test_migrations_create_every_role_with_exactly_its_permissions():
    for name, perms in ROLES.items():
        group = Group.objects.get(name=name)
        stored = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert stored == set(perms), name


def test_correspondent_sees_and_changes_only_their_school(client, schools, correspondent):
    own, other = schools
    html = client.get(reverse("admin:brands_school_changelist")).content.decode()
    assert "本校小学" in html and "他校小学" not in html
    assert client.get(reverse("admin:brands_school_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:brands_school_add")).status_code == 403
    url = reverse("admin:brands_school_change", args=[own.pk])
    page = client.get(url)
    assert "correspondents" not in page.context["adminform"].form.fields
    response = client.post(url, page_form_data(page, introduction="本校新的简介"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.pending_change.content["introduction"] == "本校新的简介"  # waits for review
    # Nor through a forged post to the other school.
    response = client.post(
        reverse("admin:brands_school_change", args=[other.pk]), {"introduction": "改别人的"}
    )
    other.refresh_from_db()
    assert other.introduction != "改别人的"
    assert client.post(reverse("admin:brands_school_delete", args=[own.pk]), {"post": "yes"})
    assert School.objects.filter(pk=own.pk).exists()


def test_correspondent_brands_only_for_their_school(client, schools, correspondent):
    own, other = schools
    BrandFactory(school=own, name="本校品牌")
    theirs = BrandFactory(school=other, name="他校品牌")
    html = client.get(reverse("admin:brands_brand_changelist")).content.decode()
    assert "本校品牌" in html and "他校品牌" not in html
    assert client.get(reverse("admin:brands_brand_change", args=[theirs.pk])).status_code == 302
    add = client.get(reverse("admin:brands_brand_add"))
    assert list(add.context["adminform"].form.fields["school"].queryset) == [own]
    response = client.post(
        reverse("admin:brands_brand_add"),
        page_form_data(add, school=str(other.pk), name="冒名品牌"),
    )
    assert response.status_code == 200  # the other school is not a valid choice
    assert not Brand.objects.filter(name="冒名品牌").exists()
    # Autocomplete offers only their school too.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "brands", "model_name": "brand", "field_name": "school", "term": "小学"},
    ).json()
    assert [item["text"] for item in found["results"]] == ["本校小学"]


def test_correspondent_sees_only_the_admin_models_they_may_use(client, correspondent):
    html = client.get(reverse("admin:index")).content.decode()
    for visible in [
        reverse("admin:news_article_changelist"),
        reverse("admin:brands_school_changelist"),
        reverse("admin:brands_brand_changelist"),
    ]:
        assert visible in html
    for hidden in [
        reverse("admin:brands_award_changelist"),
        reverse("admin:brands_campaign_changelist"),
        reverse("admin:brands_partyorganization_changelist"),
        reverse("admin:news_channel_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:portal_auditlogentry_changelist"),
    ]:
        assert hidden not in html
    assert client.get(reverse("admin:brands_award_changelist")).status_code == 403


def test_site_manager_assigns_correspondents_and_reviewer_levels(client, schools):
    own, _other = schools
    manager = RoleUserFactory(username="manager", roles=["管理员"])
    person = RoleUserFactory(username="person", roles=["学校通讯员"])
    client.force_login(manager)
    url = reverse("admin:brands_school_change", args=[own.pk])
    page = client.get(url)
    assert "correspondents" in page.context["adminform"].form.fields
    response = client.post(url, page_form_data(page, correspondents=[str(person.pk)]))
    assert response.status_code == 302
    assert list(person.correspondent_schools.all()) == [own]

    reviewer = RoleUserFactory(username="reviewer", roles=["审核员"])  # levels are for reviewers
    response = client.post(
        reverse("admin:news_reviewerassignment_add"), {"user": reviewer.pk, "level": 2}
    )
    assert response.status_code == 302
    assert ReviewerAssignment.objects.filter(user=reviewer, level=2).exists()


def test_editors_may_not_assign_correspondents_or_levels(client, schools):
    own, _other = schools
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    client.force_login(editor)
    page = client.get(reverse("admin:brands_school_change", args=[own.pk]))
    assert "correspondents" not in page.context["adminform"].form.fields
    assert client.get(reverse("admin:news_reviewerassignment_changelist")).status_code == 403
    response = client.post(
        reverse("admin:news_reviewerassignment_add"), {"user": editor.pk, "level": 1}
    )
    assert response.status_code == 403
    assert not ReviewerAssignment.objects.exists()


def test_site_manager_cannot_make_anybody_a_superuser(client):
    manager = RoleUserFactory(username="manager", roles=["管理员"])
    client.force_login(manager)
    url = reverse("admin:auth_user_change", args=[manager.pk])
    page = client.get(url)
    assert "is_superuser" not in page.context["adminform"].form.fields
    response = client.post(url, page_form_data(page, is_superuser="on"))
    assert response.status_code == 302
    manager.refresh_from_db()
    assert not manager.is_superuser
