"""The organisation's pages: units and the tree, people, blocks and councils, the Excel
import. Included by thidua.urls at the site root, so their paths keep their old places."""

from django.urls import path

from .views import blocks, importing, people, units

urlpatterns = [
    # Units and the tree
    path("org/", units.org_tree, name="org_tree"),
    path("org/units/new/", units.unit_create, name="unit_create"),
    path("org/units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("org/units/<int:pk>/rating/", units.unit_rating_set, name="unit_rating_set"),
    path("org/units/<int:pk>/delete/", units.unit_delete, name="unit_delete"),
    path("org/units/<int:pk>/<slug:operation>/", units.unit_operation, name="unit_operation"),
    # People
    path("org/people/", people.person_list, name="person_list"),
    path("org/people/new/", people.person_create, name="person_create"),
    path("org/people/<int:pk>/", people.person_detail, name="person_detail"),
    path("org/people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("org/people/<int:pk>/employment/", people.employment_add, name="employment_add"),
    path("org/people/<int:pk>/rating/", people.rating_set, name="rating_set"),
    path("org/people/<int:pk>/discipline/", people.discipline_add, name="discipline_add"),
    path("org/people/<int:pk>/archive/", people.person_archive, name="person_archive"),
    # Blocks and councils
    path("blocks/", blocks.block_list, name="block_list"),
    path("blocks/new/", blocks.block_create, name="block_create"),
    path("blocks/<int:pk>/terms/new/", blocks.block_term_create, name="block_term_create"),
    path("blocks/terms/<int:pk>/", blocks.block_term_detail, name="block_term_detail"),
    path("blocks/terms/<int:pk>/edit/", blocks.block_term_edit, name="block_term_edit"),
    path("councils/<int:pk>/", blocks.council_detail, name="council_detail"),
    path("councils/<int:pk>/edit/", blocks.council_edit, name="council_edit"),
    path("councils/<int:pk>/members/new/", blocks.council_member_add, name="council_member_add"),
    # The Excel import
    path("import/", importing.import_upload, name="import_upload"),
    path("import/template/", importing.import_template, name="import_template"),
    path("import/jobs/<uuid:job_id>/", importing.import_job, name="import_job"),
    path(
        "import/jobs/<uuid:job_id>/run-again/",
        importing.import_job_run_again,
        name="import_job_run_again",
    ),
    path(
        "import/jobs/<uuid:job_id>/confirm/",
        importing.import_job_confirm,
        name="import_job_confirm",
    ),
]
