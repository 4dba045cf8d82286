from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_order_total_idx")]
    operations = [
        migrations.AddField(model_name="order", name="status",
                            field=models.CharField(max_length=20, default="new")),
    ]
