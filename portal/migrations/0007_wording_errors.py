"""The serious misstatements every site starts with: names of the country, the Party and state
bodies, leaders' titles and political formulas as they are commonly mistyped.

The list is frozen here (not read from app code or a data file that may change later), so a new
database and an old one that ran this migration get the same rows; later additions are new
migrations or the admin's 严重表述错误 page. Every wrong form is already in its normal form
(``portal.gate.normalize.normal_form``) and never occurs in a correct official text
(``tests/gate/test_words.py`` checks both).
"""

from django.db import migrations

COUNTRY = "国名"
PARTY = "党的名称"
STATE_BODY = "国家机构名称"
TITLE = "领导人称谓"
FORMULA = "重要表述"

# (wrong, correct, note)
WORDING_ERRORS = [
    ("中华人名共和国", "中华人民共和国", COUNTRY),
    ("中化人民共和国", "中华人民共和国", COUNTRY),
    ("中华人民共合国", "中华人民共和国", COUNTRY),
    ("中华人民公和国", "中华人民共和国", COUNTRY),
    ("中国共产当", "中国共产党", PARTY),
    ("中国共惨党", "中国共产党", PARTY),
    ("中国供产党", "中国共产党", PARTY),
    ("中国共产党章成", "中国共产党章程", PARTY),
    ("中共中殃", "中共中央", PARTY),
    ("中工中央", "中共中央", PARTY),
    ("中共中央办公听", "中共中央办公厅", PARTY),
    ("全国人民代表大会常务委会", "全国人民代表大会常务委员会", STATE_BODY),
    ("全国人民代表大会长务委员会", "全国人民代表大会常务委员会", STATE_BODY),
    ("全国人民代表大会常委员会", "全国人民代表大会常务委员会", STATE_BODY),
    ("全国人大常委员会", "全国人大常委会", STATE_BODY),
    ("全国人民代表打会", "全国人民代表大会", STATE_BODY),
    ("中国人民政治协商会义", "中国人民政治协商会议", STATE_BODY),
    ("中国人民政治协上会议", "中国人民政治协商会议", STATE_BODY),
    ("中国人民政治协商大会", "中国人民政治协商会议", STATE_BODY),
    ("中国人民政治协商委员会", "中国人民政治协商会议全国委员会", STATE_BODY),
    ("国务院办工厅", "国务院办公厅", STATE_BODY),
    ("国务院总里", "国务院总理", TITLE),
    ("习近平总书计", "习近平总书记", TITLE),
    ("习近平总书纪", "习近平总书记", TITLE),
    ("习近平总数记", "习近平总书记", TITLE),
    ("以习近平为核心的党中央", "以习近平同志为核心的党中央", FORMULA),
    ("习近平新时代中国特色社会注意思想", "习近平新时代中国特色社会主义思想", FORMULA),
    ("习近平新时代特色社会主义思想", "习近平新时代中国特色社会主义思想", FORMULA),
    ("习近平新时代中国特色主义思想", "习近平新时代中国特色社会主义思想", FORMULA),
    ("中国特色社会主意", "中国特色社会主义", FORMULA),
    ("中国特设社会主义", "中国特色社会主义", FORMULA),
    ("中国特色社会注义", "中国特色社会主义", FORMULA),
    ("社会主义核心价植观", "社会主义核心价值观", FORMULA),
    ("社会主义核新价值观", "社会主义核心价值观", FORMULA),
    ("社会主意核心价值观", "社会主义核心价值观", FORMULA),
    ("立德树仁", "立德树人", FORMULA),
    ("立得树人", "立德树人", FORMULA),
    ("两个坚决维护", "两个维护", FORMULA),
    ("两个树立", "两个确立", FORMULA),
    ("党的二十届大会", "党的二十大", FORMULA),
    ("中国共产党第二十届全国代表大会", "中国共产党第二十次全国代表大会", FORMULA),
    ("二十大三中全会", "二十届三中全会", FORMULA),
    ("不忘出心", "不忘初心", FORMULA),
    ("牢记使名", "牢记使命", FORMULA),
    ("中华民族伟大复心", "中华民族伟大复兴", FORMULA),
    ("中国式现带化", "中国式现代化", FORMULA),
    ("人类命运公同体", "人类命运共同体", FORMULA),
    ("全面从严至党", "全面从严治党", FORMULA),
]


def add_wording_errors(apps, schema_editor):
    WordingError = apps.get_model("portal", "WordingError")
    db = schema_editor.connection.alias
    for wrong, correct, note in WORDING_ERRORS:
        WordingError.objects.using(db).get_or_create(
            wrong=wrong, defaults={"correct": correct, "note": note}
        )


def remove_wording_errors(apps, schema_editor):
    WordingError = apps.get_model("portal", "WordingError")
    wrong_forms = [wrong for wrong, _correct, _note in WORDING_ERRORS]
    WordingError.objects.using(schema_editor.connection.alias).filter(
        wrong__in=wrong_forms
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_gate_word_lists")]

    operations = [migrations.RunPython(add_wording_errors, remove_wording_errors)]
