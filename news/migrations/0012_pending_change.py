"""One name for a change to a published article waiting for review: PendingChange (it was
PendingRevision, while "revision" also means the django-reversion history); 流转记录 keeps
the publication gate's findings and its new steps (确认内容检查, 恢复)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_search"),
    ]

    operations = [
        migrations.RenameModel("PendingRevision", "PendingChange"),
        migrations.AlterField(
            model_name="pendingchange",
            name="article",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pending_change",
                to="news.article",
                verbose_name="文章",
            ),
        ),
        migrations.RenameField("articletransition", "on_revision", "on_change"),
        migrations.AddField(
            model_name="articletransition",
            name="findings",
            field=models.JSONField(blank=True, default=list, verbose_name="内容检查"),
        ),
        migrations.AlterField(
            model_name="articletransition",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "送审"),
                    ("approve", "审核通过"),
                    ("reject", "退回"),
                    ("publish", "发布"),
                    ("withdraw", "撤稿"),
                    ("revise", "修改已发布文章"),
                    ("publish_time", "修改发布时间"),
                    ("confirm", "确认内容检查"),
                    ("restore", "恢复历史版本"),
                    ("recover", "恢复已删除的文章"),
                ],
                max_length=20,
                verbose_name="操作",
            ),
        ),
    ]
