from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_order_status")]
    operations = [
        migrations.AddField(model_name="order", name="customer",
                            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                                    to="shop.customer")),
    ]
