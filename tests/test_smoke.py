from thidua.org.models import BlockTerm, Unit


def test_demo_year_is_loaded(db):
    assert Unit.objects.filter(code="TCPC").exists()
    assert BlockTerm.objects.filter(year=2021, decision_number="792/QĐ-SVHTTDL").count() == 2
